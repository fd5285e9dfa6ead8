/*
 * Throughput of the whole pipeline: photos analysed per second by N
 * sessions on N threads at once (one worker thread each), against one
 * session on one thread, in the same run. This is how a service spreads
 * a stream of photos over cores, and it scales better than splitting one
 * photo's layers over threads, where the per-face work is small.
 */
#ifndef DAGER_BENCH_THROUGHPUT_H
#define DAGER_BENCH_THROUGHPUT_H

#include <stddef.h>

/*
 * Analyses every photo `rounds` times on each of `threads` threads (each
 * with its own session of one shared engine with one worker thread), after
 * one warm-up pass, for thread counts 1 and `threads`, and prints photos
 * per second and the ratio (as JSON with json set). Returns 0 on success.
 */
int bench_throughput(const char *models, const char *detector,
                     const char *const *photos, size_t photo_count,
                     unsigned threads, int rounds, int json);

#endif /* DAGER_BENCH_THROUGHPUT_H */
