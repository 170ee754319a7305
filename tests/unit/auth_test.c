/* auth_test.c: tokens, hashes and password rules (libsodium). */
#include "check.h"
#include "remit.h"
#include <string.h>

int main(void) {
    CHECK("auth-0: sodium starts", auth_init() == 0);
    char t1[44], t2[44], h1[65], h2[65];
    auth_random_token(t1);
    auth_random_token(t2);
    CHECK("token-1.1: 43 url-safe characters (256 bits)", strlen(t1) == 43 && strspn(t1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == 43);
    CHECK("token-1.2: two tokens differ", strcmp(t1, t2) != 0);
    auth_token_hash(t1, h1);
    auth_token_hash(t1, h2);
    CHECK("token-1.3: hash is stable hex", strcmp(h1, h2) == 0 && strlen(h1) == 64 && strspn(h1, "0123456789abcdef") == 64);
    auth_token_hash(t2, h2);
    CHECK("token-1.4: different tokens hash differently", strcmp(h1, h2) != 0);
    CHECK("token-1.5: hash does not contain the token", strstr(h1, t1) == NULL);
    CHECK("eq-1.1: equal strings", auth_equal("abc", "abc"));
    CHECK("eq-1.2: different or empty strings", !auth_equal("abc", "abd") && !auth_equal("abc", "ab") && !auth_equal("", "") && !auth_equal(NULL, "a"));
    char hash[160];
    CHECK("pw-1.1: hashing works", auth_password_hash("a long enough password", hash, sizeof hash) == 0);
    CHECK("pw-1.2: argon2id at interactive limits or more", strncmp(hash, "$argon2id$", 10) == 0 && strstr(hash, "m=65536") && strstr(hash, "t=2"));
    CHECK("pw-1.3: right password verifies", auth_password_check(hash, "a long enough password") == 1);
    CHECK("pw-1.4: wrong password fails", auth_password_check(hash, "a long enough passwore") == 0);
    CHECK("pw-1.5: no hash never verifies", auth_password_check(NULL, "") == 0 && auth_password_check("", "x") == 0);
    CHECK("pw-1.6: the dummy verify runs and is not busy alone", auth_dummy_verify("whatever it is") == 0);
    /* issue 9: a NUL or control character in the path is seen before decoding */
    CHECK("path-1.1: %00 and %0a in the path", url_path_has_control("/people%00/x") && url_path_has_control("/api/v1/people%00") && url_path_has_control("/a%0A") && url_path_has_control("/a%7f"));
    CHECK("path-1.2: raw tab, and %09", url_path_has_control("/a\tb") && url_path_has_control("/%09/x"));
    CHECK("path-1.3: ordinary paths and encoded printable bytes pass", !url_path_has_control("/people/3") && !url_path_has_control("/a%20b%2F") && !url_path_has_control("/a%2"));
    CHECK("path-1.4: only the path counts, not the query", !url_path_has_control("/login?next=%09"));
    CHECK("pw-2.1: under 10 characters is refused", auth_password_problem("123456789") != NULL && auth_password_problem(NULL) != NULL);
    CHECK("pw-2.2: 10 characters is fine", auth_password_problem("1234567890") == NULL);
    CHECK_DONE();
}
