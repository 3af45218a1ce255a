/* Reads Binance klines CSV (open_time_ms,open,high,low,close,volume) on stdin and prints
 * open_time_ms,high,low,sar with TA-Lib's TA_SAR(high, low, 0.02, 0.2); the first bar has no SAR. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ta_libc.h"

#define MAX_BARS 100000

static char times[MAX_BARS][24], highs[MAX_BARS][32], lows[MAX_BARS][32];
static double high[MAX_BARS], low[MAX_BARS], sar[MAX_BARS];

int main(void)
{
    char line[512];
    int n = 0, begin = 0, count = 0;
    if (!fgets(line, sizeof line, stdin)) return 1; /* header */
    while (n < MAX_BARS && fgets(line, sizeof line, stdin)) {
        char *time = strtok(line, ","), *open = strtok(NULL, ","), *h = strtok(NULL, ","), *l = strtok(NULL, ",");
        if (!time || !open || !h || !l) return 1;
        strcpy(times[n], time); strcpy(highs[n], h); strcpy(lows[n], l);
        high[n] = strtod(h, NULL); low[n] = strtod(l, NULL);
        n++;
    }
    if (TA_Initialize() != TA_SUCCESS || TA_SAR(0, n - 1, high, low, 0.02, 0.2, &begin, &count, sar) != TA_SUCCESS) return 1;
    fprintf(stderr, "TA-Lib %s: %d bars, SAR from bar %d\n", TA_GetVersionString(), n, begin);
    printf("open_time_ms,high,low,sar\n");
    for (int i = 0; i < n; i++) {
        if (i < begin) printf("%s,%s,%s,\n", times[i], highs[i], lows[i]);
        else printf("%s,%s,%s,%.17g\n", times[i], highs[i], lows[i], sar[i - begin]);
    }
    TA_Shutdown();
    return 0;
}
