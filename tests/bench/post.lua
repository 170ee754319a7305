-- post.lua: the wrk script of bench.mjs's write scenario: every request is
-- POST /api/v1/decisions with the JSON body bench.mjs passes in BENCH_BODY
-- (the Authorization header comes with wrk's -H option).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = assert(os.getenv("BENCH_BODY"), "BENCH_BODY is not set")
