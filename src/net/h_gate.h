/* h_gate.h - handlers and body declarations of h_gate.c (see h_clearance.h). */
#ifndef LP_H_GATE_H
#define LP_H_GATE_H

#include "handlers.h"

#endif
