/*
 * FMA loops that measure the machine's FP32 peak in the benchmark's own
 * run, one per instruction set, each built with only its own flags.
 * Each runs `iterations` rounds and returns the number of flops done.
 */
#ifndef DAGER_BENCH_PEAK_H
#define DAGER_BENCH_PEAK_H

#include <stdint.h>

double dager_bench_peak_sse41(uint64_t iterations, float *sink);
double dager_bench_peak_avx2(uint64_t iterations, float *sink);
double dager_bench_peak_avx512(uint64_t iterations, float *sink);
double dager_bench_peak_neon(uint64_t iterations, float *sink);

#endif /* DAGER_BENCH_PEAK_H */
