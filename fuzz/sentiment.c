/* sentiment.c: fuzzes the comment scorer and the theme matcher
 * (src/sentiment.c), which read every free-text survey answer: any bytes,
 * any length. Invariants: the compound lies in [-1, 1], the label agrees
 * with it, every listed word is a NUL-terminated string found (up to a
 * negation prefix) in the text, and the same text scores the same twice. */
#include "fuzz.h"
#include "survey.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *s = fuzz_cstr(data, size);
    Sentiment a, b;
    sentiment_score(s, &a);
    sentiment_score(s, &b);
    FUZZ_CHECK(a.compound >= -1 && a.compound <= 1 && !isnan(a.compound), "compound %f out of range", a.compound);
    FUZZ_CHECK(a.label == (a.compound >= 0.05 ? 1 : a.compound <= -0.05 ? -1 : 0), "label %d does not follow compound %f", a.label, a.compound);
    FUZZ_CHECK(a.compound == b.compound && a.nwords == b.nwords, "the same text scored twice differs");
    FUZZ_CHECK(a.nwords >= 0 && a.nwords <= SENT_WORDS_MAX, "nwords %d", a.nwords);
    for (int i = 0; i < a.nwords; i++) {
        FUZZ_CHECK(memchr(a.words[i], 0, sizeof a.words[i]) != NULL, "word %d not terminated", i);
        const char *w = strrchr(a.words[i], ' ');
        w = w ? w + 1 : a.words[i];
        FUZZ_CHECK(*w && strstr(s, w) != NULL, "listed word \"%s\" is not in the text", a.words[i]);
    }
    (void)sentiment_themes(s);
    if (size > 2) {
        char word[16];
        size_t n = size - 1 < sizeof word - 1 ? size - 1 : sizeof word - 1;
        memcpy(word, s + 1, n);
        word[n] = 0;
        (void)sentiment_has_word(s, word);
    }
    free(s);
    return 0;
}
