/*
 * span.h: a range of source text by lines and columns, as findings and summaries
 * report it. Positions are 1-based; columns count Unicode code points (SARIF columnKind
 * unicodeCodePoints); the end is exclusive (end_col is one past the span).
 */
#ifndef AA_SPAN_H
#define AA_SPAN_H

#include <stdint.h>

struct aa_span {
	uint32_t line, col;         /* start, 1-based, code points */
	uint32_t end_line, end_col; /* end, 1-based, exclusive */
};

#endif
