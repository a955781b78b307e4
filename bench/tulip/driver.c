/*
 * Drives Tulip Indicators' C core (tiamalgamation.c from the tulind package) on the same columns
 * the TypeScript bench and tests use, so "ours vs Tulip C" compares the C loops themselves and not
 * tulind's JS-to-C array conversion.
 *
 * Input file (little-endian, written by bench/tulip/tulip.ts): uint64 n, then n doubles each of
 * high, low, close.
 *
 *   driver time <data> <runs> <pause-ms> [<name>...]
 *                               per indicator (all, or those named): best CPU ms of <runs> calls
 *                               after one warm-up call, each call after a pause of <pause-ms>
 *                               (as the bench pauses before each of its own calls), one line
 *                               "<name> <ms>", then "checksum <x>" (keeps the work live)
 *   driver dump <data> <out> <indicator> <options...>
 *                               writes every output of one call to <out> as n doubles each,
 *                               NaN before Tulip's start index, so index i lines up with bar i
 *
 * Outputs are allocated once per indicator, outside the timing, as a C caller of Tulip would.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <math.h>
#include "indicators.h"


static double *high, *low, *close_;
static int n;

static void load(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    uint64_t count;
    if (fread(&count, sizeof count, 1, f) != 1) { fprintf(stderr, "%s: no header\n", path); exit(2); }
    n = (int)count;
    high = malloc(sizeof(double) * n);
    low = malloc(sizeof(double) * n);
    close_ = malloc(sizeof(double) * n);
    if (fread(high, sizeof(double), n, f) != (size_t)n || fread(low, sizeof(double), n, f) != (size_t)n ||
        fread(close_, sizeof(double), n, f) != (size_t)n) {
        fprintf(stderr, "%s: short file\n", path);
        exit(2);
    }
    fclose(f);
}

/*
 * The bench lets its process settle for at least 10 ms before each timed call (so V8's background
 * GC work is not charged to the next case). On a shared machine other processes run meanwhile and
 * evict the columns from the caches; memory-bound loops then read them afresh (Tulip's true range:
 * 1.1 ms back to back, 1.3 ms with the pause). So Tulip pauses the same way, and both sides are
 * timed alike.
 */
static void pause_ms(int ms) {
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0 && errno == EINTR) {}
}

static double cpu_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* name as printed, Tulip's indicator name, options (a negative value ends the list) */
struct spec { const char *label; const char *tulip; double options[4]; };

static const struct spec timed[] = {
    {"SMA(20)", "sma", {20, -1}},
    {"EMA(20)", "ema", {20, -1}},
    {"RSI(14)", "rsi", {14, -1}},
    {"MACD(12,26,9)", "macd", {12, 26, 9, -1}},
    {"Bollinger(20,2)", "bbands", {20, 2, -1}},
    {"TrueRange", "tr", {-1}},
    {"ATR(14)", "atr", {14, -1}},
    {"ADX(14)", "adx", {14, -1}},
};

/* Tulip's inputs by name: the close-only indicators read "real", the others high/low/close. */
static void inputs_for(const ti_indicator_info *info, TI_REAL const **inputs) {
    for (int k = 0; k < info->inputs; k++) {
        const char *name = info->input_names[k];
        inputs[k] = strcmp(name, "high") == 0 ? high : strcmp(name, "low") == 0 ? low : close_;
    }
}

static const ti_indicator_info *find(const char *name) {
    const ti_indicator_info *info = ti_find_indicator(name);
    if (!info) { fprintf(stderr, "unknown Tulip indicator %s\n", name); exit(2); }
    return info;
}

static int wanted(const char *label, int count, char **names) {
    if (count == 0) return 1;
    for (int k = 0; k < count; k++)
        if (strcmp(label, names[k]) == 0) return 1;
    return 0;
}

static int time_all(int runs, int pause, int count, char **names) {
    double checksum = 0;
    for (size_t s = 0; s < sizeof timed / sizeof timed[0]; s++) {
        if (!wanted(timed[s].label, count, names)) continue;
        const ti_indicator_info *info = find(timed[s].tulip);
        TI_REAL const *inputs[TI_MAXINDPARAMS];
        TI_REAL *outputs[TI_MAXINDPARAMS];
        inputs_for(info, inputs);
        for (int k = 0; k < info->outputs; k++) outputs[k] = malloc(sizeof(double) * n);
        double best = INFINITY;
        for (int r = 0; r <= runs; r++) {
            if (pause > 0) pause_ms(pause);
            double t0 = cpu_ms();
            if (info->indicator(n, inputs, timed[s].options, outputs) != TI_OKAY) { fprintf(stderr, "%s failed\n", timed[s].label); return 1; }
            double t = cpu_ms() - t0;
            if (r > 0 && t < best) best = t;
        }
        int len = n - info->start(timed[s].options);
        for (int k = 0; k < info->outputs; k++) {
            checksum += outputs[k][len - 1];
            free(outputs[k]);
        }
        printf("%s %.4f\n", timed[s].label, best);
    }
    printf("checksum %.6g\n", checksum);
    return 0;
}

static int dump(const char *out, const char *name, int argc, char **argv) {
    const ti_indicator_info *info = find(name);
    double options[TI_MAXINDPARAMS];
    if (argc != info->options) { fprintf(stderr, "%s takes %d options\n", name, info->options); return 2; }
    for (int k = 0; k < argc; k++) options[k] = atof(argv[k]);
    TI_REAL const *inputs[TI_MAXINDPARAMS];
    TI_REAL *outputs[TI_MAXINDPARAMS];
    inputs_for(info, inputs);
    int start = info->start(options);
    if (start < 0) start = 0;
    for (int k = 0; k < info->outputs; k++) {
        outputs[k] = malloc(sizeof(double) * n);
        for (int i = 0; i < n; i++) outputs[k][i] = NAN;
    }
    /* Tulip writes size-start values from the front of each output; shift them to line up. */
    if (n > start && info->indicator(n, inputs, options, outputs) != TI_OKAY) { fprintf(stderr, "%s failed\n", name); return 1; }
    FILE *f = fopen(out, "wb");
    if (!f) { perror(out); return 2; }
    for (int k = 0; k < info->outputs; k++) {
        double *o = outputs[k];
        if (n > start) {
            memmove(o + start, o, sizeof(double) * (n - start));
            for (int i = 0; i < start; i++) o[i] = NAN;
        }
        fwrite(o, sizeof(double), n, f);
    }
    fclose(f);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 5 && strcmp(argv[1], "time") == 0) {
        load(argv[2]);
        return time_all(atoi(argv[3]), atoi(argv[4]), argc - 5, argv + 5);
    }
    if (argc >= 5 && strcmp(argv[1], "dump") == 0) {
        load(argv[2]);
        return dump(argv[3], argv[4], argc - 5, argv + 5);
    }
    fprintf(stderr, "usage: driver time <data> <runs> <pause-ms> [<name>...] | driver dump <data> <out> <indicator> <options...>\n");
    return 2;
}
