/*
 * concurrency.h: small questions shared by the AA3xx rules (concurrency control).
 * Pure functions of the model; thread-safe.
 */
#ifndef AA_CONCURRENCY_H
#define AA_CONCURRENCY_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzer/facts/model.h"

/* True when scope (a scope id of model) is, or is nested in, a function whose name
 * starts with "test" (`test_acquire`, `testLock`): test code that exercises a primitive
 * on purpose (a lock made for the test, acquired by hand to check its state). */
bool aa_concurrency_in_test(const struct aa_model *model, uint32_t scope);

#endif
