/* h_declarations.h - handlers and body declarations of h_declarations.c (see h_clearance.h). */
#ifndef LP_H_DECLARATIONS_H
#define LP_H_DECLARATIONS_H

#include "handlers.h"

#endif
