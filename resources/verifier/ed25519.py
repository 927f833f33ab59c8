"""Ed25519 signature verification (RFC 8032, section 5.1), Python 3 standard library only.

Written for the LotSeal evidence verifier so that an inspector depends on nothing but
Python: no third-party package, no native code. Correctness first: the arithmetic follows
RFC 8032 section 5.1 step by step (the formulas are those of section 5.1.4); the test suite
checks it against the RFC's test vectors and against Node's (OpenSSL's) Ed25519 on random
keys and messages.

Speed comes from three textbook techniques, none of which changes the result:
  * extended twisted Edwards coordinates (X : Y : Z : T), x = X/Z, y = Y/Z, x*y = T/Z,
    so no field inversion happens inside a scalar multiplication;
  * a precomputed table of the base point B (radix 16: j * 16^i * B for every window i and
    digit j, in affine "Niels" form (y+x, y-x, 2*d*x*y)), so [S]B costs at most 64 mixed
    additions and no doubling;
  * the same table built for a public key once it has been seen a few times (a host key
    signs every checkpoint, a person signs many decisions), so [k]A costs the same.

Verification rule (RFC 8032 5.1.7): decode A (reject a non-canonical or invalid encoding),
reject S >= L, k = SHA-512(R || A || M) mod L, and accept iff the encoding of
[S]B - [k]A equals the 32 bytes of R. Comparing encodings is the cofactorless check the RFC
allows ("sufficient, but not required") and the one OpenSSL makes, so both verifiers accept
exactly the same signatures; it also rejects every non-canonical R.

Only verification is needed by the verifier. `public_key` and `sign` exist so the tests can
compare the arithmetic byte for byte with the RFC's vectors (they are not constant-time:
never use them for real keys).
"""

import hashlib

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = (-121665 * pow(121666, P - 2, P)) % P
D2 = (2 * D) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)

IDENTITY = (0, 1, 1, 0)


def _recover_x(y, sign):
    """x from y and the sign bit (RFC 8032 5.1.3 steps 2-4); None if there is none."""
    if y >= P:
        return None
    u = (y * y - 1) % P
    v = (D * y * y + 1) % P
    # x = (u/v)^((p+3)/8) = u * v^3 * (u * v^7)^((p-5)/8)
    v3 = v * v % P * v % P
    x = u * v3 % P * pow(u * v3 % P * v3 % P * v % P, (P - 5) // 8, P) % P
    vxx = v * x % P * x % P
    if vxx == u:
        pass
    elif vxx == (-u) % P:
        x = x * SQRT_M1 % P
    else:
        return None
    if x == 0 and sign == 1:
        return None
    if x & 1 != sign:
        x = P - x
    return x


def decode_point(b):
    """32 bytes -> extended point, or None for an invalid or non-canonical encoding."""
    if len(b) != 32:
        return None
    n = int.from_bytes(b, "little")
    sign = n >> 255
    y = n & ((1 << 255) - 1)
    x = _recover_x(y, sign)
    if x is None:
        return None
    return (x, y, 1, x * y % P)


def _inv(z):
    # pow(z, -1, p) (Python >= 3.8) is extended Euclid in C, several times faster than z^(p-2).
    return pow(z, -1, P)


def encode_point(pt):
    X, Y, Z, _ = pt
    zi = _inv(Z)
    x = X * zi % P
    y = Y * zi % P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def _add(p1, p2):
    """Extended + extended (RFC 8032 5.1.4, a = -1)."""
    X1, Y1, Z1, T1 = p1
    X2, Y2, Z2, T2 = p2
    a = (Y1 - X1) * (Y2 - X2) % P
    b = (Y1 + X1) * (Y2 + X2) % P
    c = T1 * D2 % P * T2 % P
    d = Z1 * 2 * Z2 % P
    e = b - a
    f = d - c
    g = d + c
    h = b + a
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def _double(p1):
    """Doubling (RFC 8032 5.1.4)."""
    X1, Y1, Z1, _ = p1
    a = X1 * X1 % P
    b = Y1 * Y1 % P
    c = 2 * Z1 * Z1 % P
    h = a + b
    xy = X1 + Y1
    e = h - xy * xy % P
    g = a - b
    f = c + g
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def _neg(pt):
    X, Y, Z, T = pt
    return ((-X) % P, Y, Z, (-T) % P)


def _to_niels(points):
    """Extended points -> affine (y+x, y-x, 2*d*x*y), one field inversion for all (Montgomery's trick)."""
    n = len(points)
    prefix = [1] * (n + 1)
    for i, pt in enumerate(points):
        prefix[i + 1] = prefix[i] * pt[2] % P
    inv = _inv(prefix[n])
    out = [None] * n
    for i in range(n - 1, -1, -1):
        X, Y, Z, _ = points[i]
        zi = inv * prefix[i] % P
        inv = inv * Z % P
        x = X * zi % P
        y = Y * zi % P
        out[i] = ((y + x) % P, (y - x) % P, D2 * x % P * y % P)
    return out


def _fixed_table(pt, w):
    """Radix-2^w table of a point: row i holds j * 2^(w*i) * pt for j = 1 .. 2^w - 1 (scalars < 2^256)."""
    size = (1 << w) - 1
    rows = -(-256 // w)
    flat = []
    base = pt
    for _ in range(rows):
        acc = base
        flat.append(acc)
        for _ in range(size - 1):
            acc = _add(acc, base)
            flat.append(acc)
        base = _add(acc, base)  # 2^w * base
    niels = _to_niels(flat)
    return (w, [niels[i * size:(i + 1) * size] for i in range(rows)])


def _fixed_mul(table, s, acc=IDENTITY):
    """acc + [s]pt with pt's table: one mixed addition per non-zero digit, no doubling."""
    w, rows = table
    mask = (1 << w) - 1
    X1, Y1, Z1, T1 = acc
    i = 0
    while s:
        j = s & mask
        if j:
            yp, ym, t2d = rows[i][j - 1]
            a = (Y1 - X1) * ym % P
            b = (Y1 + X1) * yp % P
            c = T1 * t2d % P
            d = 2 * Z1
            e = b - a
            f = d - c
            g = d + c
            h = b + a
            X1 = e * f % P
            Y1 = g * h % P
            Z1 = f * g % P
            T1 = e * h % P
        s >>= w
        i += 1
    return (X1, Y1, Z1, T1)


def _window_mul(pt, s):
    """[s]pt for a point without a table: 4-bit fixed windows (252 doublings, <= 64 additions)."""
    multiples = [IDENTITY, pt]
    for _ in range(14):
        multiples.append(_add(multiples[-1], pt))
    digits = []
    while s:
        digits.append(s & 15)
        s >>= 4
    acc = IDENTITY
    for j in reversed(digits):
        acc = _double(_double(_double(_double(acc))))
        if j:
            acc = _add(acc, multiples[j])
    return acc


B_Y = 4 * pow(5, P - 2, P) % P
_B_X = _recover_x(B_Y, 0)
B = (_B_X, B_Y, 1, _B_X * B_Y % P)
_base_small = None
_base_large = None
_base_uses = 0
# The base point's tables, as a key's below: radix 16 (15 x 64 points, ~7 ms to build) from
# the first use, radix 256 (32 rows of 255 points, ~75 ms: about as long as 100 verifications
# without a table) once enough multiplications have used the base to repay it (radix 256 saves
# ~0.09 ms a multiplication over radix 16). A run that checks a few signatures, as most
# verifications of a small database do, no longer builds the large table.
BASE_LARGE_TABLE_AFTER = 1024


def _base():
    global _base_small, _base_large, _base_uses
    if _base_large is not None:
        return _base_large
    _base_uses += 1
    if _base_uses >= BASE_LARGE_TABLE_AFTER:
        _base_large = _fixed_table(B, 8)
        return _base_large
    if _base_small is None:
        _base_small = _fixed_table(B, 4)
    return _base_small


class _Key:
    __slots__ = ("neg_a", "uses", "table")

    def __init__(self, neg_a):
        self.neg_a = neg_a
        self.uses = 0
        self.table = None


# A public key gets a radix-16 table (960 points) after a few verifications and a radix-256
# table (8,160 points) once it has signed many (a host key signs every checkpoint, a QA
# manager hundreds of decisions); each costs about as much as the verifications it follows
# and then makes the key's half of every verification two (resp. four) times cheaper.
SMALL_TABLE_AFTER = 8
LARGE_TABLE_AFTER = 256
MAX_LARGE_TABLES = 32
_keys = {}
_large = 0


def _key(public):
    k = _keys.get(public)
    if k is None:
        a = decode_point(public)
        if a is None:
            return None
        if len(_keys) >= 4096:
            _reset_keys()
        k = _Key(_neg(a))
        _keys[public] = k
    return k


def _reset_keys():
    global _large
    _keys.clear()
    _large = 0


def verify(public, message, signature):
    """True iff `signature` (64 bytes) is a valid Ed25519 signature of `message` by `public` (32 bytes)."""
    global _large
    public = bytes(public)
    signature = bytes(signature)
    if len(public) != 32 or len(signature) != 64:
        return False
    key = _key(public)
    if key is None:
        return False
    r_bytes = signature[:32]
    s = int.from_bytes(signature[32:], "little")
    if s >= L:
        return False
    k = int.from_bytes(hashlib.sha512(r_bytes + public + bytes(message)).digest(), "little") % L
    key.uses += 1
    if key.uses == SMALL_TABLE_AFTER:
        key.table = _fixed_table(key.neg_a, 4)
    elif key.uses == LARGE_TABLE_AFTER and _large < MAX_LARGE_TABLES:
        key.table = _fixed_table(key.neg_a, 8)
        _large += 1
    if key.table is not None:
        q = _fixed_mul(key.table, k)
    else:
        q = _window_mul(key.neg_a, k)
    return encode_point(_fixed_mul(_base(), s, q)) == r_bytes


# --- test helpers (RFC 8032 5.1.5 and 5.1.6), not used by the verifier --------------------


def _secret_expand(seed):
    h = hashlib.sha512(seed).digest()
    a = int.from_bytes(h[:32], "little")
    a &= (1 << 254) - 8
    a |= 1 << 254
    return a, h[32:]


def public_key(seed):
    a, _ = _secret_expand(bytes(seed))
    return encode_point(_fixed_mul(_base(), a))


def sign(seed, message):
    seed = bytes(seed)
    message = bytes(message)
    a, prefix = _secret_expand(seed)
    pub = encode_point(_fixed_mul(_base(), a))
    r = int.from_bytes(hashlib.sha512(prefix + message).digest(), "little") % L
    rb = encode_point(_fixed_mul(_base(), r))
    k = int.from_bytes(hashlib.sha512(rb + pub + message).digest(), "little") % L
    return rb + ((r + k * a) % L).to_bytes(32, "little")
