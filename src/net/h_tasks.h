/* h_tasks.h - handlers and body declarations of h_tasks.c (see h_clearance.h). */
#ifndef LP_H_TASKS_H
#define LP_H_TASKS_H

#include "handlers.h"

#endif
