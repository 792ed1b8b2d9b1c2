#!/usr/bin/python3
"""A stand-in for the ONS eQ Questionnaire Runner, for the console's tests.

A test double is never the thing it stands in for: this is an implementation of
../shared/RUNNER-CONTRACT.md written in Python on jwcrypto (the library the runner itself uses),
independent of the console's TypeScript. Where the contract is silent it behaves like
eq-questionnaire-runner (771844c). It is not the runner: it has no questionnaire engine, only a
page on which a test can answer one question, so that /dump/submission and /flush have something
to send.

  runner.py --keys STORE --schemas DIR [--downstream DIR] [--seed FILE] [--port N] [--exit-with-stdin]

  --keys        the runner's sdc key store (YAML or JSON), e.g. ../shared/ons/runner/dev-keys.yml
  --schemas     <survey_type>/<en|cy>/<schema_name>.json, like the runner's schemas/ folder
  --downstream  where flushed payloads go, as the runner's `log` submission backend would carry
                them: <tx_id>.jwe (the compact JWE) and a JSON line in runner.log
  --seed        a JSON list of {response_id, answers: {answer_id: value}, claims?: {...}}
                stored as questionnaires before the first request
  --port        0 (the default) picks a free port
  --exit-with-stdin  exit when stdin closes, so a test process that dies leaves no runner behind

It listens on 127.0.0.1 only and prints one line, `listening http://127.0.0.1:PORT`, when ready;
nothing else goes to stdout, and only real faults go to stderr. SIGTERM ends it cleanly.

Runner endpoints (RUNNER-CONTRACT §3-§5):
  HEAD /session; GET|POST /session?token=; GET|POST /questionnaire/; GET /dump/submission;
  POST /flush?token=; GET /schemas; GET /schemas/<name>; GET /status
Stand-in endpoints, all under /__stand-in/ so they can never be mistaken for the runner's:
  GET  /__stand-in/requests    ["METHOD path?query", ...] of the runner requests seen so far
  POST /__stand-in/seed        body as --seed; answers {"seeded": n}
  GET  /__stand-in/downstream  [{"message": JWE, "tx_id", "case_id"}, ...] sent downstream so far
  POST /__stand-in/clock       {"offset": seconds} shifts this runner's clock (exp, jti retention,
                               response_expires_at), so tests need not sleep

Every refusal carries an X-Stand-In-Reason header naming the rule that fired. The real runner
says nothing of the sort; it is there so a test can tell two 403s apart.
"""
import argparse
import base64
import binascii
import html
import json
import os
import re
import secrets
import signal
import sys
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import date, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import yaml
from jwcrypto import jwe, jwk, jws

PURPOSE_AUTHENTICATION = "authentication"
PURPOSE_SUBMISSION = "submission"
# §1: the only algorithms in the profile. Everything else is refused before any key is used.
JWE_ALG, JWE_ENC, JWS_ALG = "RSA-OAEP", "A256GCM", "RS256"
# The runner indexes only these language folders; any other language_code falls back to en (§3).
LANGUAGE_CODES = ("en", "cy")
DEFAULT_LANGUAGE = "en"
DEFAULT_DATA_VERSION = "0.0.3"
# §3: jti claims are remembered a minute beyond exp, against clock skew between runner instances.
JTI_GRACE_SECONDS = 60
# The runner's schema_url fetch: 3 s timeout, the first request and 2 retries on these statuses.
SCHEMA_URL_TIMEOUT, SCHEMA_URL_ATTEMPTS = 3, 3
SCHEMA_URL_RETRY_STATUSES = {408, 429, 500, 502, 503, 504}
SESSION_COOKIE = "session"
ADMIN_PREFIX = "/__stand-in/"


class Refusal(Exception):
    """An HTTP answer other than success: status, the rule that fired, and whether the runner
    renders an HTML error page (it does for raised errors, not for flush's bare Responses)."""

    def __init__(self, status, reason, page=True):
        super().__init__(reason)
        self.status, self.reason, self.page = status, reason, page


# ---------------------------------------------------------------------------------------------
# Clock. One offset for every time-dependent rule, so tests can move time instead of sleeping.

class Clock:
    def __init__(self):
        self.offset = 0.0

    def now(self):
        return time.time() + self.offset

    def utcnow(self):
        return datetime.fromtimestamp(self.now(), tz=timezone.utc)


# ---------------------------------------------------------------------------------------------
# Key store (§2): {keys: {kid: {purpose, type: public|private, value: PEM}}}. The kid is the
# store's own name for the key, as sdc-cryptography's KeyStore uses it; it is not recomputed.

class KeyStore:
    def __init__(self, path):
        with open(path, encoding="utf8") as f:
            document = yaml.safe_load(f)  # YAML is a superset of JSON, so JSON stores load too
        if not isinstance(document, dict) or not isinstance(document.get("keys"), dict):
            raise ValueError(f"{path} is not an sdc key store (no keys: mapping)")
        self.entries = {}
        for kid, entry in document["keys"].items():
            try:
                purpose, key_type, value = entry["purpose"], entry["type"], entry["value"]
            except (KeyError, TypeError) as e:
                raise ValueError(f"{path}: key {kid} lacks purpose, type or value") from e
            if key_type not in ("public", "private"):
                raise ValueError(f"{path}: key {kid} has type {key_type!r}")
            self.entries[str(kid)] = {"purpose": purpose, "type": key_type,
                                      "key": jwk.JWK.from_pem(value.encode())}

    def private_key(self, purpose, kid):
        """The key a JWE kid must name: a private key of the purpose (§1)."""
        entry = self._named(purpose, kid, "private")
        if entry["type"] != "private":
            raise Refusal(403, f"JWE kid {kid} names a public key; decryption needs a private {purpose} key")
        return entry["key"]

    def public_key(self, purpose, kid):
        """The key a JWS kid must name: a public key of the purpose; a private key serves as its
        own public half (jwcrypto verifies with the public part of a private JWK)."""
        return self._named(purpose, kid, "public")["key"]

    def _named(self, purpose, kid, wanted):
        if not isinstance(kid, str) or not kid:
            raise Refusal(403, f"no kid in the header: cannot choose a {wanted} {purpose} key")
        entry = self.entries.get(kid)
        if entry is None:
            raise Refusal(403, f"unknown kid {kid}: no such {wanted} {purpose} key")
        if entry["purpose"] != purpose:
            raise Refusal(403, f"kid {kid} is a {entry['purpose']} key, not {purpose}")
        return entry

    def first(self, purpose, key_type):
        """sdc-cryptography's get_key_for_purpose_and_type: the first key of that purpose and type."""
        for kid, entry in self.entries.items():
            if entry["purpose"] == purpose and entry["type"] == key_type:
                return kid, entry["key"]
        return None, None


# ---------------------------------------------------------------------------------------------
# The JWT profile (§1): a JWS (RS256) inside a JWE (RSA-OAEP, A256GCM), compact forms.

def b64url_json(segment, what):
    try:
        padded = segment + "=" * (-len(segment) % 4)
        if not re.fullmatch(r"[A-Za-z0-9_-]*=*", padded):
            raise ValueError("not base64url")
        value = json.loads(base64.urlsafe_b64decode(padded).decode("utf8"))
    except (ValueError, binascii.Error, UnicodeDecodeError) as e:
        raise Refusal(403, f"{what} is not base64url JSON: {e}") from e
    if not isinstance(value, dict):
        raise Refusal(403, f"{what} is not a JSON object")
    return value


def is_int(value):
    # JSON integers only: a float, a numeric string or a boolean is not an integer (§3).
    return isinstance(value, int) and not isinstance(value, bool)


def decrypt_token(token, keys, purpose=PURPOSE_AUTHENTICATION):
    """sdc-cryptography's decrypt(): every failure is the runner's InvalidTokenException (403).
    exp is not compared with the clock here; only the shapes of the registered claims are checked,
    as jwcrypto does when sdc-cryptography passes check_claims={}."""
    parts = token.split(".")
    if len(parts) != 5:
        raise Refusal(403, f"a JWE in compact form has 5 parts, this has {len(parts)}")
    outer = b64url_json(parts[0], "JWE header")
    if outer.get("alg") != JWE_ALG or outer.get("enc") != JWE_ENC:
        raise Refusal(403, f"JWE alg/enc {outer.get('alg')}/{outer.get('enc')} is not {JWE_ALG}/{JWE_ENC}")
    private = keys.private_key(purpose, outer.get("kid"))
    envelope = jwe.JWE(algs=[JWE_ALG, JWE_ENC])
    try:
        envelope.deserialize(token, key=private)
        inner = envelope.payload.decode("utf8")
    except Exception as e:  # jwcrypto raises several types; each is a decryption failure
        raise Refusal(403, f"JWE decryption failed: {type(e).__name__} {e}") from e

    inner_parts = inner.split(".")
    if len(inner_parts) != 3:
        raise Refusal(403, f"the JWE does not hold a compact JWS ({len(inner_parts)} parts)")
    header = b64url_json(inner_parts[0], "JWS header")
    if header.get("alg") != JWS_ALG:
        raise Refusal(403, f"JWS alg {header.get('alg')} is not {JWS_ALG}")
    public = keys.public_key(purpose, header.get("kid"))
    signed = jws.JWS()
    try:
        signed.deserialize(inner)
        signed.allowed_algs = [JWS_ALG]
        signed.verify(public)
    except Exception as e:
        raise Refusal(403, f"JWS signature check failed: {type(e).__name__} {e}") from e
    try:
        claims = json.loads(signed.payload)
    except ValueError as e:
        raise Refusal(403, f"the JWS payload is not JSON: {e}") from e
    if not isinstance(claims, dict):
        raise Refusal(403, "the JWS payload is not a JSON object")
    check_registered_claim_shapes(claims)
    return claims


def check_registered_claim_shapes(claims):
    # What jwcrypto's JWT checks on every token: null counts as absent.
    for name in ("exp", "nbf", "iat"):
        if claims.get(name) is not None and not is_int(claims[name]):
            raise Refusal(403, f"{name} is not an integer: {json.dumps(claims[name])}")
    for name in ("iss", "sub", "jti", "typ"):
        if claims.get(name) is not None and not isinstance(claims[name], str):
            raise Refusal(403, f"{name} is not a string")
    aud = claims.get("aud")
    if aud is not None and not isinstance(aud, str) and not (
            isinstance(aud, list) and all(isinstance(a, str) for a in aud)):
        raise Refusal(403, "aud is neither a string nor a list of strings")


def encrypt_for_downstream(payload, keys):
    """sdc-cryptography's encrypt(payload, key_store, "submission") (§6): sign with the store's
    first private submission key (the runner's own), encrypt to its first public submission key
    (downstream's)."""
    signer_kid, signer = keys.first(PURPOSE_SUBMISSION, "private")
    recipient_kid, recipient = keys.first(PURPOSE_SUBMISSION, "public")
    if signer is None or recipient is None:
        raise Refusal(500, "the key store lacks a private or a public submission key")
    signed = jws.JWS(json.dumps(payload).encode("utf8"))
    signed.add_signature(signer, alg=JWS_ALG,
                         protected={"kid": signer_kid, "typ": "jwt", "alg": JWS_ALG})
    envelope = jwe.JWE(plaintext=signed.serialize(compact=True).encode("utf8"),
                       protected={"alg": JWE_ALG, "enc": JWE_ENC, "kid": recipient_kid})
    envelope.add_recipient(recipient)
    return envelope.serialize(compact=True)


# ---------------------------------------------------------------------------------------------
# Value rules shared by the runner claims and the questionnaire claims (marshmallow in the runner).

# A URL as marshmallow's URL validator with require_tld: a dotted host name, localhost, or an IP
# address. A single-label host such as `launcher` is refused.
URL_RE = re.compile(
    r"^(?:https?|ftps?)://"
    r"(?:[^:@/\s]+(?::[^@/\s]*)?@)?"
    r"(?:(?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+(?:[A-Z]{2,6}\.?|[A-Z0-9-]{2,}\.?)"
    r"|localhost"
    r"|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}"
    r"|\[[A-F0-9]*:[A-F0-9:.]+\])"
    r"(?::\d{1,5})?"
    r"(?:/?|[/?]\S+)$",
    re.IGNORECASE)
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DATETIME_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?"
    r"(Z|[+-]\d{2}(?::?\d{2})?)?$")
REGION_CODE_RE = re.compile(r"^GB-[A-Z]{3}$")


def as_uuid(value):
    """A UUID as Python's uuid.UUID reads it (what both the runner's jti check and marshmallow's
    UUID field do), in its canonical lower-case form; None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def as_url(value):
    return value if isinstance(value, str) and URL_RE.match(value) else None


def as_date(value):
    m = DATE_RE.match(value) if isinstance(value, str) else None
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def parse_datetime(value):
    """An ISO 8601 date-time; no offset means UTC. None when it is not one."""
    m = DATETIME_RE.match(value) if isinstance(value, str) else None
    if not m:
        return None
    tz = timezone.utc
    if m[8] and m[8] != "Z":
        sign = -1 if m[8][0] == "-" else 1
        digits = m[8][1:].replace(":", "")
        tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0)))
    try:
        return datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6] or 0),
                        int((m[7] or "0").ljust(6, "0")), tzinfo=tz)
    except ValueError:
        return None


def strip_strings(mapping):
    # The runner's StripWhitespaceMixin: string values one level deep, before any rule.
    return {k: v.strip() if isinstance(v, str) else v for k, v in mapping.items()}


# ---------------------------------------------------------------------------------------------
# Runner claims, v2 (§3). Answers the normalised claims the runner would store, or a 403.

OPTIONAL_RUNNER_CLAIMS = ("schema_name", "schema_url", "cir_instrument_id", "language_code",
                          "channel", "region_code", "roles", "survey_metadata")


def validate_runner_claims(raw, clock):
    version = raw.get("version")
    if version is None:
        raise Refusal(403, "no version claim: a v1 token, and this runner accepts only v2")
    claims = strip_strings(raw)
    problems = []
    out = {}

    def required(name):
        if claims.get(name) is None:
            problems.append(f"{name} is required")
            return False
        return True

    def text(name, non_empty=False):
        value = claims[name]
        if not isinstance(value, str):
            problems.append(f"{name} is not a string")
        elif non_empty and not value:
            problems.append(f"{name} is empty")
        else:
            out[name] = value

    def uuid_claim(name):
        value = as_uuid(claims[name])
        if value is None:
            problems.append(f"{name} is not a UUID")
        else:
            out[name] = value

    def url_claim(name):
        if as_url(claims[name]) is None:
            problems.append(f"{name} is not a URL with a dotted host, localhost or an IP address")
        else:
            out[name] = claims[name]

    # null is never a value (marshmallow's allow_none is off); for a required claim it reads as
    # missing, for an optional one it is refused.
    for name in OPTIONAL_RUNNER_CLAIMS:
        if name in claims and claims[name] is None:
            problems.append(f"{name} is null")

    if claims["version"] != "v2":
        problems.append(f"version {json.dumps(claims['version'])} is not \"v2\"")
    else:
        out["version"] = "v2"
    for name in ("jti", "tx_id", "case_id"):
        if required(name):
            uuid_claim(name)
    if required("collection_exercise_sid"):
        text("collection_exercise_sid", non_empty=True)
    if required("response_id"):
        text("response_id")
    if required("account_service_url"):
        url_claim("account_service_url")
    if required("response_expires_at"):
        when = parse_datetime(claims["response_expires_at"])
        if when is None:
            problems.append("response_expires_at is not an ISO 8601 date-time")
        elif when <= clock.utcnow():
            problems.append("response_expires_at is not in the future")
        else:
            out["response_expires_at"] = when.isoformat()

    if claims.get("schema_name") is not None:
        text("schema_name")
    if claims.get("schema_url") is not None:
        url_claim("schema_url")
    if claims.get("cir_instrument_id") is not None:
        uuid_claim("cir_instrument_id")
    if claims.get("language_code") is not None:
        text("language_code")
    if claims.get("channel") is not None:
        text("channel", non_empty=True)
    if claims.get("region_code") is not None:
        value = claims["region_code"]
        if not isinstance(value, str) or not REGION_CODE_RE.match(value):
            problems.append("region_code does not match ^GB-[A-Z]{3}$")
        else:
            out["region_code"] = value
    if claims.get("roles") is not None:
        roles = claims["roles"]
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            problems.append("roles is not a list of strings")
        else:
            out["roles"] = roles
    if claims.get("survey_metadata") is not None:
        survey_metadata = validate_survey_metadata(claims["survey_metadata"], problems)
        if survey_metadata is not None:
            out["survey_metadata"] = survey_metadata

    chosen = [n for n in ("schema_name", "schema_url", "cir_instrument_id") if claims.get(n)]
    if len(chosen) != 1:
        problems.append("exactly one of schema_name, schema_url, cir_instrument_id is needed, "
                        f"not {len(chosen)}" + (f" ({', '.join(chosen)})" if chosen else ""))

    if problems:
        raise Refusal(403, "runner claims invalid: " + "; ".join(problems))
    return out


def validate_survey_metadata(value, problems):
    if not isinstance(value, dict):
        problems.append("survey_metadata is not an object")
        return None
    value = strip_strings(value)
    # A nested marshmallow schema refuses keys it does not know, unlike the top level.
    unknown = sorted(set(value) - {"data", "receipting_keys"})
    if unknown:
        problems.append(f"survey_metadata has unknown keys: {', '.join(unknown)}")
    out = {}
    data = value.get("data")
    if "data" in value:
        if not isinstance(data, dict):
            problems.append("survey_metadata.data is not an object")
            data = None
        elif not data:
            problems.append("survey_metadata.data has no keys")
        else:
            out["data"] = strip_strings(data)
    if "receipting_keys" in value:
        receipting = value["receipting_keys"]
        if not isinstance(receipting, list) or not all(isinstance(k, str) for k in receipting):
            problems.append("survey_metadata.receipting_keys is not a list of strings")
        else:
            missing = [k for k in receipting if not isinstance(data, dict) or k not in data]
            if missing:
                problems.append(f"receipting key {missing[0]} is not set in survey_metadata.data")
            out["receipting_keys"] = receipting
    return out


# ---------------------------------------------------------------------------------------------
# Questionnaire claims (§3): the schema's metadata list against survey_metadata.data.

def validate_questionnaire_claims(data, schema):
    if not isinstance(schema.get("metadata"), list):
        raise Refusal(500, "the schema has no metadata list")
    out = dict(data)  # keys the schema does not name are kept, as the runner's INCLUDE does
    problems = []
    for field in schema["metadata"]:
        name, kind = field.get("name"), field.get("type")
        converter = METADATA_TYPES.get(kind)
        if converter is None:
            raise Refusal(500, f"schema metadata {name} has unknown type {kind}")
        if name not in data:
            if not field.get("optional"):
                problems.append(f"{name} is missing")
            continue
        value = converter(data[name])
        if value is None:
            problems.append(f"{name} is not a {kind}")
            continue
        if isinstance(value, str):
            length = len(value)
            if "length" in field and length != field["length"]:
                problems.append(f"{name} must be {field['length']} characters long")
            if "min_length" in field and length < field["min_length"]:
                problems.append(f"{name} is shorter than {field['min_length']}")
            if "max_length" in field and length > field["max_length"]:
                problems.append(f"{name} is longer than {field['max_length']}")
        out[name] = value
    if problems:
        raise Refusal(403, "questionnaire claims invalid: " + "; ".join(problems))
    return out


METADATA_TYPES = {
    "string": lambda v: v if isinstance(v, str) else None,
    "date": as_date,
    "uuid": as_uuid,
    "boolean": lambda v: v if isinstance(v, bool) else None,  # JSON true or false only
    "url": as_url,
    "iso_8601_date_string": lambda v: (lambda d: d.isoformat() if d else None)(parse_datetime(v)),
}


# ---------------------------------------------------------------------------------------------
# Questionnaire schemas: <schemas>/<survey_type>/<language>/<name>.json (§5).

class Schemas:
    def __init__(self, folder):
        self.folder = folder
        self.by_language = {lang: {} for lang in LANGUAGE_CODES}
        self.by_type = {}
        for survey_type in sorted(os.listdir(folder)):
            if not os.path.isdir(os.path.join(folder, survey_type)):
                continue
            for lang in LANGUAGE_CODES:
                lang_dir = os.path.join(folder, survey_type, lang)
                if not os.path.isdir(lang_dir):
                    continue
                for file in sorted(os.listdir(lang_dir)):
                    if file.endswith(".json"):
                        self.by_language[lang].setdefault(file[:-5], os.path.join(lang_dir, file))
                        if lang == DEFAULT_LANGUAGE:
                            self.by_type.setdefault(survey_type, []).append(file[:-5])

    def listing(self):
        return self.by_type

    def by_name(self, name, language=None):
        """(schema, language used): the language's folder if it has the schema, else en."""
        lang = language if language in LANGUAGE_CODES and name in self.by_language[language] \
            else DEFAULT_LANGUAGE
        path = self.by_language[lang].get(name)
        if path is None:
            raise Refusal(500, f"no schema named {name}")
        with open(path, encoding="utf8") as f:
            return json.load(f), lang

    @staticmethod
    def by_url(url, language=None):
        # The runner appends ?language= to the URL as given, even when it has a query already.
        lang = language or DEFAULT_LANGUAGE
        target = f"{url}?language={lang}"
        last = None
        # Loopback is fetched directly: an http_proxy in the test environment must not see it.
        host = urllib.parse.urlsplit(url).hostname or ""
        direct = host in ("127.0.0.1", "localhost", "::1")
        opener = urllib.request.build_opener(*([urllib.request.ProxyHandler({})] if direct else []))
        for _ in range(SCHEMA_URL_ATTEMPTS):
            try:
                with opener.open(target, timeout=SCHEMA_URL_TIMEOUT) as response:
                    return json.loads(response.read().decode("utf8")), lang
            except urllib.error.HTTPError as e:
                last = f"HTTP {e.code}"
                if e.code not in SCHEMA_URL_RETRY_STATUSES:
                    break
            except (OSError, ValueError) as e:
                last = f"{type(e).__name__} {e}"
        raise Refusal(500, f"schema_url fetch failed: {last}")

    def for_claims(self, claims):
        if claims.get("schema_url"):
            return self.by_url(claims["schema_url"], claims.get("language_code"))
        if claims.get("cir_instrument_id"):
            raise Refusal(500, "cir_instrument_id: this stand-in has no CIR to fetch from")
        return self.by_name(claims.get("schema_name"), claims.get("language_code"))


def schema_answers(schema):
    """Every answer definition in the schema, in document order."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("answers"), list):
                found.extend(a for a in node["answers"] if isinstance(a, dict) and "id" in a)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return found


# ---------------------------------------------------------------------------------------------
# Downstream payload v2 (§6), built from what a questionnaire has stored.

def build_payload(questionnaire, clock, flushed):
    metadata, schema = questionnaire["metadata"], questionnaire["schema"] or {}
    data_version = schema.get("data_version", DEFAULT_DATA_VERSION)
    payload = {
        "case_id": metadata.get("case_id"),
        "tx_id": metadata.get("tx_id"),
        "type": "uk.gov.ons.edc.eq:surveyresponse",
        "version": "v2",
        "data_version": data_version,
        "origin": "uk.gov.ons.edc.eq",
        "collection_exercise_sid": metadata.get("collection_exercise_sid"),
    }
    for name in ("schema_name", "schema_url", "cir_instrument_id"):
        if metadata.get(name):
            payload[name] = metadata[name]
    payload.update({
        "flushed": flushed,
        "submitted_at": clock.utcnow().isoformat(),
        "launch_language_code": metadata.get("language_code") or DEFAULT_LANGUAGE,
    })
    if not flushed:  # the runner's flush path leaves it out; a respondent's submission has it
        payload["submission_language_code"] = questionnaire["language"]
    survey_metadata = {"survey_id": schema["survey_id"]} if "survey_id" in schema else {}
    survey_metadata.update((metadata.get("survey_metadata") or {}).get("data") or {})
    payload["survey_metadata"] = survey_metadata
    payload["data"] = payload_data(questionnaire["answers"], schema, data_version)
    for name in ("channel", "region_code"):
        if metadata.get(name):
            payload[name] = metadata[name]
    if questionnaire.get("started_at"):
        payload["started_at"] = questionnaire["started_at"]
    return payload


def payload_data(answers, schema, data_version):
    if data_version == "0.0.1":
        # Flat {q_code: string}; answers whose definition has no q_code are not sent.
        definitions = {a["id"]: a for a in schema_answers(schema)}
        data = {}
        for answer_id, value in answers.items():
            definition = definitions.get(answer_id, {})
            if "q_code" not in definition:
                continue
            if definition.get("type") == "Date" and as_date(value):
                value = datetime.strptime(value, "%Y-%m-%d").strftime("%d/%m/%Y")
            data[definition["q_code"]] = value if isinstance(value, str) else json.dumps(value)
        return data
    if data_version != "0.0.3":
        raise Refusal(500, f"data_version {data_version} is not supported")
    data = {"answers": [{"answer_id": k, "value": v} for k, v in answers.items()], "lists": []}
    codes = [c for c in schema.get("answer_codes") or [] if c.get("answer_id") in answers]
    if codes:
        data["answer_codes"] = codes
    return data


# ---------------------------------------------------------------------------------------------
# State: used jtis, cookie sessions, stored questionnaires by response_id, what went downstream.

class Runner:
    def __init__(self, keys, schemas, downstream_dir, clock):
        self.keys, self.schemas, self.downstream_dir, self.clock = keys, schemas, downstream_dir, clock
        self.lock = threading.Lock()
        self.used_jti = {}        # jti -> forget after (epoch seconds)
        self.sessions = {}        # cookie value -> {response_id, claims (as decrypted)}
        self.questionnaires = {}  # response_id -> {metadata, schema, language, answers, started_at}
        self.requests = []
        self.downstream = []

    def use_jti(self, jti, exp):
        if jti is None:
            raise Refusal(403, "jti is missing")
        if as_uuid(jti) is None:
            raise Refusal(403, "jti is not a UUID")
        with self.lock:
            now = self.clock.now()
            for old in [k for k, until in self.used_jti.items() if until < now]:
                del self.used_jti[old]
            if jti in self.used_jti:
                raise Refusal(401, "jti has been used before")
            self.used_jti[jti] = exp + JTI_GRACE_SECONDS

    def launch(self, token):
        """GET|POST /session (§3), in the runner's order. Answers a new session cookie value."""
        if not token:
            raise Refusal(401, "no token")
        claims = decrypt_token(token, self.keys)
        exp = claims.get("exp")
        if exp is None:
            raise Refusal(500, "exp is missing")
        try:
            expired = datetime.fromtimestamp(exp, tz=timezone.utc) < self.clock.utcnow()
        except (OverflowError, OSError, ValueError) as e:
            raise Refusal(500, f"exp is out of range: {e}") from e
        if expired:
            raise Refusal(401, "exp is in the past")
        self.use_jti(claims.get("jti"), exp)  # consumed before the claims are judged
        metadata = validate_runner_claims(claims, self.clock)
        schema, language = self.schemas.for_claims(metadata)
        survey_metadata = metadata.get("survey_metadata")
        data = (survey_metadata or {}).get("data") or {}
        questionnaire_claims = validate_questionnaire_claims(data, schema)
        if survey_metadata is None:
            raise Refusal(500, "survey_metadata is absent")
        if questionnaire_claims:
            survey_metadata["data"] = questionnaire_claims
        session_id = secrets.token_urlsafe(24)
        with self.lock:
            previous = self.questionnaires.get(metadata["response_id"], {})
            # A new launch replaces the metadata and keeps the answers, as the runner's store does.
            self.questionnaires[metadata["response_id"]] = {
                "metadata": metadata, "schema": schema, "language": language,
                "answers": previous.get("answers", {}), "started_at": previous.get("started_at")}
            self.sessions[session_id] = {"response_id": metadata["response_id"], "claims": claims}
        return session_id

    def flush(self, token):
        """POST /flush (§4). Only roles and response_id are read; exp and jti are not checked."""
        if not token:
            raise Refusal(403, "no token", page=False)
        claims = decrypt_token(token, self.keys)
        roles = claims.get("roles")
        if not roles:
            raise Refusal(403, "no roles claim", page=False)
        if not isinstance(roles, (list, str, dict)):
            raise Refusal(500, "roles is not a list")  # `"flusher" in roles` raises in the runner
        if "flusher" not in roles:
            raise Refusal(403, "roles has no flusher", page=False)
        response_id = claims.get("response_id")
        if not isinstance(response_id, str):
            raise Refusal(500, "response_id is missing" if response_id is None else "response_id is not a string")
        with self.lock:
            questionnaire = self.questionnaires.get(response_id)
            if not questionnaire or not questionnaire["answers"]:
                raise Refusal(404, "nothing stored with answers for this response_id", page=False)
            payload = build_payload(questionnaire, self.clock, flushed=True)
            self.send_downstream(encrypt_for_downstream(payload, self.keys),
                                 payload["tx_id"], payload["case_id"])
            del self.questionnaires[response_id]

    def send_downstream(self, message, tx_id, case_id):
        """The `log` submission backend: the message with tx_id and case_id. Written as a file
        per payload and a JSON line, so tests can read either."""
        record = {"message": message, "tx_id": tx_id, "case_id": case_id}
        if self.downstream_dir:
            try:
                with open(os.path.join(self.downstream_dir, f"{tx_id}.jwe"), "w", encoding="utf8") as f:
                    f.write(message)
                with open(os.path.join(self.downstream_dir, "runner.log"), "a", encoding="utf8") as f:
                    f.write(json.dumps(record) + "\n")
            except OSError as e:
                raise Refusal(500, f"submitter failed: {e}") from e
        self.downstream.append(record)

    def seed(self, entries):
        """Stored questionnaires for tests: [{response_id, answers, claims?}]. Claims stand for the
        launch metadata and are not validated; what they leave out is made up."""
        if not isinstance(entries, list):
            raise ValueError("the seed is not a JSON list")
        prepared = []
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("response_id"), str) \
                    or not isinstance(entry.get("answers", {}), dict) \
                    or not isinstance(entry.get("claims", {}), dict):
                raise ValueError("each seed entry is {response_id: string, answers: object, claims?: object}")
            metadata = {"version": "v2", "tx_id": str(uuid.uuid4()), "case_id": str(uuid.uuid4()),
                        "collection_exercise_sid": str(uuid.uuid4()), "language_code": DEFAULT_LANGUAGE,
                        **entry.get("claims", {}), "response_id": entry["response_id"]}
            schema = None
            language = metadata["language_code"] if metadata.get("language_code") in LANGUAGE_CODES else DEFAULT_LANGUAGE
            if any(metadata.get(n) for n in ("schema_name", "schema_url", "cir_instrument_id")):
                try:
                    schema, language = self.schemas.for_claims(metadata)
                except Refusal as e:
                    raise ValueError(e.reason) from e
            prepared.append((entry["response_id"], {"metadata": metadata, "schema": schema,
                                                    "language": language,
                                                    "answers": dict(entry.get("answers", {})),
                                                    "started_at": None}))
        with self.lock:
            self.questionnaires.update(prepared)
        return len(prepared)


# ---------------------------------------------------------------------------------------------
# HTTP.

def page(title, body):
    return (f"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"</head><body>\n{body}\n</body></html>\n")


class Handler(BaseHTTPRequestHandler):
    server_version = "eq-runner-stand-in"
    disable_nagle_algorithm = True  # headers and body go in two writes; don't let them wait on ACKs
    runner = None  # set by main()

    # -- plumbing --

    def log_message(self, format, *args):  # noqa: A002 - silence the per-request log on stderr
        pass

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send(self, status, content=b"", content_type=None, headers=()):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)

    def send_json(self, status, value):
        self.send(status, json.dumps(value, indent=2).encode("utf8"), "application/json")

    def send_html(self, status, text, headers=()):
        self.send(status, text.encode("utf8"), "text/html; charset=utf-8", headers)

    def refuse(self, refusal):
        reason = ("X-Stand-In-Reason", refusal.reason.encode("ascii", "replace").decode("ascii")[:500])
        if refusal.page:
            text = page(str(refusal.status), f"<h1>{refusal.status}</h1>\n<p>{html.escape(refusal.reason)}</p>")
            self.send_html(refusal.status, text, [reason])
        else:
            self.send(refusal.status, headers=[reason])

    def session(self):
        """(session, cookie value) for the request's session cookie; None for what is missing."""
        for part in (self.headers.get("Cookie") or "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == SESSION_COOKIE:
                with self.runner.lock:
                    return self.runner.sessions.get(value), value
        return None, None

    def dispatch(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        try:
            if url.path.startswith(ADMIN_PREFIX):
                return self.admin(url.path[len(ADMIN_PREFIX):])
            with self.runner.lock:
                self.runner.requests.append(f"{self.command} {self.path}")
            route = ROUTES.get(url.path)
            if route is None and url.path.startswith("/schemas/"):
                route = ("GET", "HEAD"), Handler.schema
            if route is None:
                raise Refusal(404, f"no route {url.path}")
            methods, action = route
            if self.command not in methods:
                self.body()
                raise Refusal(405, f"{self.command} is not allowed on {url.path}")
            action(self, url, query)
        except Refusal as refusal:
            self.refuse(refusal)
        except Exception as e:  # a fault in the stand-in itself: say so on stderr, answer 500
            traceback.print_exc(file=sys.stderr)
            self.refuse(Refusal(500, f"stand-in fault: {type(e).__name__} {e}"))

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = do_PATCH = dispatch

    # -- runner endpoints --

    def session_head(self, url, query):
        self.send(204)

    def session_login(self, url, query):
        self.body()
        # Logging in again clears any session the browser already had.
        _, old = self.session()
        if old:
            with self.runner.lock:
                self.runner.sessions.pop(old, None)
        token = (query.get("token") or [""])[0]
        session_id = self.runner.launch(token)
        self.send(302, headers=[("Location", "/questionnaire/"), ("Cache-Control", "no-cache"),
                                ("Set-Cookie", f"{SESSION_COOKIE}={session_id}; HttpOnly; Path=/; SameSite=Lax")])

    def questionnaire_for_session(self):
        session, _ = self.session()
        if session is None:
            raise Refusal(401, "no session: launch through /session first")
        with self.runner.lock:
            questionnaire = self.runner.questionnaires.get(session["response_id"])
        if questionnaire is None:
            raise Refusal(401, "the questionnaire for this session is gone (flushed)")
        return session, questionnaire

    def questionnaire(self, url, query):
        session, questionnaire = self.questionnaire_for_session()
        if self.command == "POST":
            form = urllib.parse.parse_qs(self.body().decode("utf8"), keep_blank_values=True)
            answers = schema_answers(questionnaire["schema"])
            answer_id = (form.get("answer_id") or [answers[0]["id"] if answers else "answer"])[0]
            value = (form.get("answer") or [""])[0]
            with self.runner.lock:
                if value.strip():
                    questionnaire["answers"][answer_id] = value
                    questionnaire["started_at"] = questionnaire["started_at"] or self.runner.clock.utcnow().isoformat()
                else:  # an emptied answer is removed, as the runner's answer store does
                    questionnaire["answers"].pop(answer_id, None)
        schema = questionnaire["schema"]
        answers = schema_answers(schema)
        first = answers[0] if answers else {"id": "answer", "label": "Answer"}
        survey_data = (session["claims"].get("survey_metadata") or {}).get("data")
        text = page(schema.get("title", "Questionnaire"), "\n".join([
            f"<h1>{html.escape(str(schema.get('title', '')))}</h1>",
            "<h2>Launch claims</h2>",
            f"<pre id=\"launch-claims\">{html.escape(json.dumps(session['claims'], indent=2))}</pre>",
            "<h2>survey_metadata.data</h2>",
            f"<pre id=\"survey-metadata\">{html.escape(json.dumps(survey_data, indent=2))}</pre>",
            "<h2>Stored answers</h2>",
            f"<pre id=\"answers\">{html.escape(json.dumps(questionnaire['answers'], indent=2))}</pre>",
            "<form method=\"post\" action=\"/questionnaire/\">",
            f"<input type=\"hidden\" name=\"answer_id\" value=\"{html.escape(first['id'])}\">",
            f"<label for=\"answer\">{html.escape(str(first.get('label') or first['id']))}</label>",
            "<input id=\"answer\" name=\"answer\" type=\"text\">",
            "<button type=\"submit\">Save and continue</button>",
            "</form>"]))
        self.send_html(200, text)

    def dump_submission(self, url, query):
        session, questionnaire = self.questionnaire_for_session()
        if "dumper" not in (questionnaire["metadata"].get("roles") or []):
            raise Refusal(403, "the session's roles have no dumper")
        with self.runner.lock:
            payload = build_payload(questionnaire, self.runner.clock, flushed=False)
        self.send_json(200, {"submission": payload})

    def flush(self, url, query):
        self.body()
        # The runner clears any cookie session the flushing client had; nothing else of it is used.
        _, presented = self.session()
        if presented:
            with self.runner.lock:
                self.runner.sessions.pop(presented, None)
        self.runner.flush((query.get("token") or [""])[0])
        self.send(200)

    def schemas(self, url, query):
        self.send_json(200, self.runner.schemas.listing())

    def schema(self, url, query):
        name = urllib.parse.unquote(url.path[len("/schemas/"):])
        try:
            schema, _ = self.runner.schemas.by_name(name)
        except Refusal:
            return self.send(404, b"Schema Not Found", "text/plain; charset=utf-8")
        self.send_json(200, schema)

    def status(self, url, query):
        self.send_json(200, {"status": "OK"})

    # -- stand-in endpoints --

    def admin(self, name):
        if self.client_address[0] not in ("127.0.0.1", "::1"):
            raise Refusal(403, "stand-in endpoints answer loopback clients only")
        runner = self.runner
        if name == "requests" and self.command == "GET":
            with runner.lock:
                return self.send_json(200, list(runner.requests))
        if name == "downstream" and self.command == "GET":
            with runner.lock:
                return self.send_json(200, list(runner.downstream))
        if name == "seed" and self.command == "POST":
            try:
                count = runner.seed(json.loads(self.body().decode("utf8")))
            except ValueError as e:
                raise Refusal(400, f"bad seed: {e}") from e
            return self.send_json(200, {"seeded": count})
        if name == "clock" and self.command == "POST":
            try:
                offset = json.loads(self.body().decode("utf8"))["offset"]
                if not isinstance(offset, (int, float)) or isinstance(offset, bool):
                    raise ValueError("offset is not a number")
            except (ValueError, KeyError, TypeError) as e:
                raise Refusal(400, f"bad clock: {e}") from e
            runner.clock.offset = float(offset)
            return self.send_json(200, {"offset": offset})
        raise Refusal(404, f"no stand-in endpoint {self.command} {ADMIN_PREFIX}{name}")


ROUTES = {
    "/session": (("GET", "POST", "HEAD"), lambda h, u, q: (h.session_head if h.command == "HEAD" else h.session_login)(u, q)),
    "/questionnaire/": (("GET", "POST"), Handler.questionnaire),
    "/dump/submission": (("GET",), Handler.dump_submission),
    "/flush": (("POST",), Handler.flush),
    "/schemas": (("GET", "HEAD"), Handler.schemas),
    "/status": (("GET", "HEAD"), Handler.status),
}


# ---------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keys", required=True)
    parser.add_argument("--schemas", required=True)
    parser.add_argument("--downstream")
    parser.add_argument("--seed")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--exit-with-stdin", action="store_true")
    args = parser.parse_args()

    try:
        keys = KeyStore(args.keys)
        schemas = Schemas(args.schemas)
        if args.downstream and not os.path.isdir(args.downstream):
            raise ValueError(f"--downstream {args.downstream} is not a folder")
        runner = Runner(keys, schemas, args.downstream, Clock())
        if args.seed:
            with open(args.seed, encoding="utf8") as f:
                runner.seed(json.load(f))
    except (OSError, ValueError, yaml.YAMLError) as e:
        print(f"runner.py: {e}", file=sys.stderr)
        sys.exit(2)

    Handler.runner = runner
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)  # loopback only, never 0.0.0.0
    server.daemon_threads = True

    def stop(*_):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.exit_with_stdin:
        def watch_stdin():
            # os.read on the descriptor, not sys.stdin: a daemon thread holding the buffered
            # reader's lock makes the interpreter abort at shutdown.
            while os.read(0, 4096):
                pass
            os.kill(os.getpid(), signal.SIGTERM)
        threading.Thread(target=watch_stdin, daemon=True).start()

    print(f"listening http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except SystemExit:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
