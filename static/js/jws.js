// Ticket signatures checked in the browser, with the keys the server
// publishes (a JWKS), so that the gate and the booth scanner can judge a
// badge while the network is gone, by the server's rules. Shared by gate.js
// and leads.js.
const SproutJWS = (() => {
  "use strict";

  const b64 = (s) =>
    Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(s.length / 4) * 4, "=")), (c) => c.charCodeAt(0));
  const b64json = (s) => JSON.parse(new TextDecoder().decode(b64(s)));

  // keyring imports the keys of a JWKS as they are first asked for, each
  // once. It answers a kid with a promise of the key, or of null for a kid
  // it does not know.
  function keyring(jwks) {
    const cache = new Map();
    return (kid) => {
      if (!cache.has(kid)) {
        const jwk = jwks.find((k) => k.kid === kid);
        cache.set(kid, jwk ? crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x }, { name: "Ed25519" }, false, ["verify"]) : Promise.resolve(null));
      }
      return cache.get(kid);
    };
  }

  // parse splits a compact JWS into its header, claims and signature, or
  // answers null when the token is none: a code of something else, or one
  // torn.
  function parse(token) {
    const parts = String(token).split(".");
    if (parts.length !== 3) return null;
    try {
      return { header: b64json(parts[0]), claims: b64json(parts[1]), signature: b64(parts[2]), signed: parts[0] + "." + parts[1] };
    } catch {
      return null;
    }
  }

  // readable tells a token that is a JWS, signed well or not, from one that
  // is no JWS at all, as the server tells them apart.
  const readable = (token) => parse(token) !== null;

  // verify checks a compact JWS signed with EdDSA by a key of keyFor (a
  // keyring) and returns its claims, or null when it is no ticket signed by
  // a known key. It throws when this browser cannot check Ed25519.
  async function verify(token, keyFor) {
    const jws = parse(token);
    if (!jws) return null;
    const { header, claims, signature } = jws;
    if (!header || header.alg !== "EdDSA" || typeof header.kid !== "string") return null;
    const key = await keyFor(header.kid);
    if (!key) return null;
    const good = await crypto.subtle.verify({ name: "Ed25519" }, key, signature, new TextEncoder().encode(jws.signed));
    if (!good || !claims || typeof claims.sub !== "string" || !claims.sub || typeof claims.exp !== "number") return null;
    return claims;
  }

  // claims reads a token's claims without checking anything, to name the
  // ticket of a scan the server refused; null for no token.
  function claims(token) {
    try {
      return b64json(String(token).split(".")[1]);
    } catch {
      return null;
    }
  }

  // judge decides a token offline by the rules the server applies, from
  // what the page knows: its signature by one of the published keys
  // (keyFor, a keyring, or null before the keys were fetched), the event it
  // is for, the tickets cancelled (revoked, a Set) and, unless leeway is
  // null, its validity window (nbf, exp) give or take leeway seconds, as
  // clocks drift, against now (milliseconds, by default this device's
  // clock). It answers {result, claims}, the result a word of the
  // server's: "ok", "invalid", "wrong_event", "revoked", "not_yet_valid",
  // "expired", or "unknown" when this browser cannot tell (no keys yet,
  // no Ed25519).
  async function judge(token, { keyFor, event, revoked = new Set(), leeway = null, now = Date.now() }) {
    if (!keyFor || !window.crypto || !crypto.subtle) return { result: "unknown", claims: null };
    let c;
    try {
      c = await verify(token, keyFor);
    } catch {
      return { result: "unknown", claims: null };
    }
    if (!c) return { result: "invalid", claims: null };
    const answer = (result) => ({ result, claims: c });
    if (c.evt !== event) return answer("wrong_event");
    if (revoked.has(c.sub)) return answer("revoked");
    if (leeway !== null) {
      const t = now / 1000;
      if (typeof c.nbf === "number" && t + leeway < c.nbf) return answer("not_yet_valid");
      if (t - leeway > c.exp) return answer("expired");
    }
    return answer("ok");
  }

  return { keyring, readable, verify, claims, judge };
})();
