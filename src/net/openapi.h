/* openapi.h - the OpenAPI 3.1 document, generated from the route table and
 * the body declarations, so it describes exactly what the server enforces. */
#ifndef LP_OPENAPI_H
#define LP_OPENAPI_H

/* Builds the document as JSON text. Caller owns it; free with lp_free(). */
char *lp_openapi_build(void);

#endif
