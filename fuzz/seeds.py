#!/usr/bin/env python3
"""fuzz/seeds.py: writes the hand-made seed inputs of fuzz/corpus/*/seed-*.
Run it again after changing a seed here; regression inputs (regress-*) and
anything else in the corpus are left alone. The HTTP seeds carry the
credentials that fuzz/http.c puts into its database."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
OWNER_BEARER = "fuzzOwnerBearer0000000000000000000000000000"
MEMBER_BEARER = "fuzzMemberBearer000000000000000000000000000"
OWNER_COOKIE = "fuzzOwnerSession000000000000000000000000000"
CSRF = "fuzzcsrf"


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


# ---- query strings and urlencoded forms
for name, q in {
    "mixed": "a=1&b=hello+world&c=%3Cx%3E&d&=skip&e=%zz&f=%00x",
    "can": "domain=discount&amount=120.50",
    "paging": "limit=50&after=0&status=pending",
    "next": "next=%2Fdecisions%3Fstatus%3Dpending%26limit%3D5",
    "utf8": "q=caf%C3%A9+%26+bread&title=%E2%9C%93",
    "form": "csrf_token=fuzzcsrf&domain=refund&title=New+oven&amount=1200&risk=2&reward=4&review_on=2026-12-01",
    "truncated": "a=%4&b=%&c=%%41",
    "separators": "a==b&&&c=d=e&&=",
    "newlines": "values=Craft+before+speed%0D%0AWaste+nothing",
    "badutf8": "x=%FF%FE%C3&y=%ED%A0%80",
}.items():
    write("query", name, q)

# ---- cookies
for name, c in {
    "session": "remit_session=" + OWNER_COOKIE,
    "several": "x=1; remit_session=abc; junk; y=",
    "separators": "; ; ;;=; a=",
    "quoted": 'remit_session="quoted"; theme=dark; lang=en-GB',
    "nospace": "a=b;c=d;e=f==g",
    "tabs": "\ta=1 ;  b = 2 ",
}.items():
    write("cookie", name, c)

# ---- multipart: a body under "boundary=XyZ"; or a Content-Type line, then a body
def part(boundary, fields, close=True):
    out = ""
    for f in fields:
        out += "--" + boundary + "\r\n" + f[0] + "\r\n\r\n" + f[1] + "\r\n"
    return out + ("--" + boundary + "--\r\n" if close else "")

csv_file = "name,email,team,manager_email,title,access\r\nAna Lima,ana@example.org,Kitchen,,Head baker,manager\r\n"
write("multipart", "fields", part("XyZ", [('Content-Disposition: form-data; name="csrf_token"', "tok"),
                                          ('Content-Disposition: form-data; name="title"', "A title\r\nwith two lines")]))
write("multipart", "file", part("XyZ", [('Content-Disposition: form-data; name="file"; filename="people.csv"\r\nContent-Type: text/csv', csv_file)]))
write("multipart", "unterminated", "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated")
write("multipart", "noname", part("XyZ", [("Content-Disposition: form-data", "x"), ('content-disposition: form-data; NAME=b', "y")]))
write("multipart", "webkit", "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW\r\n" +
      part("----WebKitFormBoundary7MA4YWxkTrZu0gW", [('Content-Disposition: form-data; name="csv"', csv_file),
                                                      ('Content-Disposition: form-data; name="file"; filename=""\r\nContent-Type: application/octet-stream', "")]))
write("multipart", "quoted-boundary", 'multipart/form-data; charset=utf-8; boundary="a b;c"\r\n' +
      part("a b;c", [('Content-Disposition: form-data; name="x"; filename="we;ird\\".txt"', "\x00\x01binary\xff")]))
write("multipart", "empty-boundary", "multipart/form-data; boundary=\r\n--\r\n\r\n")
write("multipart", "preamble", "multipart/form-data; boundary=B\npreamble text\r\n" + part("B", [('Content-Disposition: form-data; name="a"', "1")]) + "epilogue")

# ---- JSON bodies: the first byte picks the table (see TABLES in json.c); 0x80 answers as HTML
T = {n: i for i, n in enumerate("ORG GOAL LOGIN SESSION_PASSWORD TEAM PERSON PERSON_PATCH PERSON_PASSWORD ROLE HOLDER "
                                   "DOMAIN_CREATE DOMAIN_PATCH RIGHT REVOKE DECISION ADVICE DECISION_NOTE OUTCOME AUTONOMY_NOTE "
                                   "CHALLENGE REVIEWER IDEA IDEA_COMMENT IDEA_STAGE PAIR REVIEW TINY".split())}
def j(table, body, html=False):
    return bytes([T[table] | (0x80 if html else 0)]) + (body if isinstance(body, bytes) else json.dumps(body).encode())
write("json", "org", j("ORG", {"name": "Crumb & Co.", "purpose": "Bread", "values": ["Craft", "Waste nothing"]}))
write("json", "goal", j("GOAL", {"title": "Less waste", "parent_id": None, "due_on": "2026-12-31", "status": "active", "owner_team_id": 2}))
write("json", "login", j("LOGIN", {"email": "owner@example.com", "password": "correct horse battery"}))
write("json", "person", j("PERSON", {"name": "Ana", "email": "ana@example.org", "team_id": 1, "manager_id": None, "title": None, "access": "member"}))
write("json", "role", j("ROLE", {"name": "Baker", "accountabilities": ["Bake", "Clean"], "resources": [], "purpose": None}))
write("json", "right", j("RIGHT", {"person_id": 3, "domain": "refund", "level": 7, "limit": "50.00", "expires_on": "2028-02-29", "reason": "trust"}))
write("json", "decision", j("DECISION", {"domain": "discount", "title": "10% off", "amount": "12.50", "risk": 2, "reward": 4, "review_on": None}))
write("json", "outcome", j("OUTCOME", {"outcome": "worked", "account": "fine", "learning": None}))
write("json", "challenge", j("CHALLENGE", {"title": "Waste", "scope": "org", "opens_on": "2026-01-01", "closes_on": "2026-02-30", "phase": "open"}))
write("json", "idea", j("IDEA", {"title": "Compost", "body": "**yes**", "anonymous": True}))
write("json", "stage", j("IDEA_STAGE", {"stage": "merged", "into_id": 3, "owner_id": None, "due_on": "soon"}))
write("json", "review", j("REVIEW", {"risk": 1, "reward": 5, "effort": 3, "note": "good"}))
write("json", "tiny-ok", j("TINY", {"s": "abc", "n": None, "l": ["x", "yz"], "d": "2000-02-29", "i": -9223372036854775808, "id": 1, "b": False}))
write("json", "tiny-bad", j("TINY", b'{"s":"abcd","l":["",1],"d":"1900-02-29","id":0}'))
write("json", "malformed", j("DECISION", b'{"title":"unterminated', html=True))
write("json", "duplicate", j("PAIR", b'{"winner":1,"winner":2}'))
write("json", "nul", j("ADVICE", b'{"advice":"a\\u0000b"}'))
write("json", "unicode", j("IDEA_COMMENT", b'{"body":"\\ud83c\\udf5e caf\\u00e9 \\ud800"}'))
write("json", "array", j("HOLDER", b'[{"person_id":1}]', html=True))
write("json", "deep", j("REVOKE", b'{"reason":' + b'[' * 64 + b']' * 64 + b'}'))

# ---- money amounts
for i, m in enumerate(["0", "120", "120.5", "120.50", "00012.30", "92233720368547758.07", "92233720368547758.08",
                       "9223372036854775807", "1e3", "-5", " 12", "12.", ".5", "1,000", "12.345", "12.5x", "\u0661\u0662"]):
    write("money", "%02d" % i, m)

# ---- CSV imports (the fuzz database holds owner@fuzz.test, ana@fuzz.test and team Kitchen)
H = "name,email,team,manager_email,title,access\n"
for name, c in {
    "valid": H + "Ben Ng,ben@example.org,Kitchen,owner@fuzz.test,Baker,\nCara Diaz,cara@example.org,Front,ben@example.org,,manager\n",
    "quotes": H + '"Lima, Ana ""the baker""",ana2@example.org,"Kitchen\nNight shift",,"Head\r\nbaker",admin\n',
    "bom-crlf": "\ufeff" + H.replace("\n", "\r\n") + "Dee,dee@example.org,,,,member\r\n,,,,,\r\n",
    "order": "access,title,manager_email,team,email,name\nmember,,eve@example.org,,fay@example.org,Fay\n,,,,eve@example.org,Eve\n",
    "loop": H + "A,a@example.org,,b@example.org,,\nB,b@example.org,,c@example.org,,\nC,c@example.org,,a@example.org,,\nD,d@example.org,,d@example.org,,\n",
    "duplicates": H + "A,x@example.org,,,,\nB,X@Example.org,,,,\nAna,ana@fuzz.test,,,,\n",
    "bad-values": H + "Own,own@example.org,,,,owner\n,noname@example.org,,,,\nBad,not-an-email,,nobody@example.org,,boss\n",
    "header-bad": "name,email,email,colour\nA,a@example.org,b,red\n",
    "unclosed": H + 'A,"a@example.org,,,,\n',
    "stray-quote": H + 'A a"b,a@example.org,,,,\n',
    "nul": H + "A\x00B,a@example.org,,,,\n",
    "cr-only": H.replace("\n", "\r") + "A,a@example.org,kitchen,,,\r",
    "fields": H + "A,a@example.org\nB,b@example.org,,,,,extra\n",
    "empty": "",
    "header-only": H,
    "latin1": H.encode() + b"Jos\xe9,jose@example.org,,,,\n",
}.items():
    write("csv", name, c)

# ---- markdown
for name, m in {
    "links": "See [the plan](https://example.com/plan \"Plan\") and <https://example.com>, www.example.com, mail@example.com.",
    "script-links": "[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [z](java&#115;cript:alert(1)) <javascript:alert(1)> [w]( \tjavascript:x)",
    "images": "![alt *text*](data:text/html;base64,PHNjcmlwdD4= \"t\") ![ok](/assets/icon.svg) ![v](vbscript:msgbox)",
    "raw-html": "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<a href=\"javascript:x\">a</a> <!-- c -->",
    "entities": "&amp; &lt;b&gt; &#60;script&#62; &copy; &#x1F35E; &nosuch; &#0;",
    "table": "| a | b |\n|:--|--:|\n| `x|y` | **b** |\n| ~~gone~~ | [l](http://x) |\n",
    "code": "```js\n<script>alert(1)</script>\n```\n\n    indented <b>\n\n`inline <i>`",
    "lists": "1. one\n2. two\n   - nested\n   - > quote\n\n5. five\n\n- [ ] task\n* [x] done",
    "headings": "# H1\nH2\n--\n### H3 ###\n\n***\n\nline one  \nline two\\\nthree",
    "refs": "[a][ref] [b][] [ref]\n\n[ref]: javascript:alert(1) \"T\"\n[b]: <https://example.com/a b>",
    "attr-quote": "[x](https://example.com/\"onmouseover=\"alert(1)) ![a\"b](x\"y.png)",
}.items():
    write("markdown", name, m)

# ---- whole HTTP requests
def req(method, path, headers=(), body=None):
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: 127.0.0.1"] + list(headers)
    if body is not None:
        b = body if isinstance(body, bytes) else body.encode()
        lines.append("Content-Length: %d" % len(b))
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + b
    return ("\r\n".join(lines) + "\r\n\r\n").encode()

OB = "Authorization: Bearer " + OWNER_BEARER
MB = "Authorization: Bearer " + MEMBER_BEARER
CK = "Cookie: remit_session=" + OWNER_COOKIE
XC = "X-CSRF-Token: " + CSRF
JS = "Content-Type: application/json"
FORM = "Content-Type: application/x-www-form-urlencoded"
write("http", "login-api", req("POST", "/api/v1/session", [JS], json.dumps({"email": "owner@example.com", "password": "wrong password here"})))
write("http", "session", req("GET", "/api/v1/session", [OB]))
write("http", "home-cookie", req("GET", "/", [CK]))
write("http", "decisions-page", req("GET", "/decisions?status=pending&domain=discount&limit=5", [CK]))
write("http", "decisions-list", req("GET", "/api/v1/decisions?limit=3&after=0", [MB]))
write("http", "can", req("GET", "/api/v1/can?domain=discount&amount=120.50", [MB]))
write("http", "decision-create", req("POST", "/api/v1/decisions", [MB, JS],
                                     json.dumps({"domain": "discount", "title": "10% off stale bread", "amount": "12.50", "risk": 2, "reward": 4})))
write("http", "decision-form", req("POST", "/decisions/new", [CK, FORM],
                                   "csrf_token=fuzzcsrf&domain=refund&title=Refund+%3Cb%3E&amount=20&context=**why**&risk=2&reward=3"))
write("http", "decision-view", req("GET", "/decisions/2", [CK]))
write("http", "org-patch", req("PATCH", "/api/v1/org", [OB, JS], json.dumps({"purpose": "[x](javascript:alert(1)) <script>", "values": ["Craft"]})))
write("http", "challenge-page", req("GET", "/challenges/1", [CK]))
write("http", "idea-create", req("POST", "/api/v1/challenges/1/ideas", [MB, JS], json.dumps({"title": "Compost bins", "body": "**Less** waste", "anonymous": True})))
write("http", "idea-vote", req("PUT", "/api/v1/ideas/1/vote", [MB]))
write("http", "pair", req("GET", "/api/v1/challenges/1/pair", [MB]))
write("http", "import-api", req("POST", "/api/v1/people/import", [OB, "Content-Type: text/csv"],
                                 H + "Ben Ng,ben@example.org,Bakery,manager@example.com,Baker,\n"))
write("http", "import-page", req("POST", "/people/import", [CK, XC, "Content-Type: multipart/form-data; boundary=XyZ"],
                                  part("XyZ", [('Content-Disposition: form-data; name="csrf_token"', CSRF),
                                               ('Content-Disposition: form-data; name="file"; filename="p.csv"\r\nContent-Type: text/csv', H + "Q,q@example.org,,,,\n")])))
write("http", "right-create", req("POST", "/api/v1/rights", [OB, JS],
                                   json.dumps({"person_id": 5, "domain": "refund", "level": 7, "limit": "50", "reason": "trusted", "expires_on": "2030-01-01"})))
write("http", "csrf-missing", req("POST", "/logout", [CK]))
write("http", "malformed", b"GET /\r\nHost x\r\n\r\n")
write("http", "too-large", req("POST", "/api/v1/decisions", [MB, JS, "Content-Length: 99999999"]))

# ---- several requests in one input (fuzz/http.c: SEP), on the same database
SEP = b"\n~~next~~\n"
write("http", "org-then-page", req("PATCH", "/api/v1/org", [OB, JS], json.dumps({"purpose": "[a&b](AAhref=) [u](/x) **bold** <b>"})) + SEP + req("GET", "/org", [CK]))
write("http", "import-then-list", req("POST", "/api/v1/people/import", [OB, "Content-Type: text/csv"], H + "Zed,zed@example.org,New team,,,\n") + SEP +
      req("GET", "/api/v1/people?limit=500", [OB]) + SEP + req("GET", "/people", [CK]))
write("http", "idea-then-page", req("POST", "/challenges/1/ideas", [CK, FORM], "csrf_token=fuzzcsrf&title=Compost+%3Cb%3E&body=%5Bx%5D(javascript:y)") + SEP +
      req("GET", "/challenges/1", [CK]) + SEP + req("GET", "/api/v1/challenges/1/ideas", [MB]))
