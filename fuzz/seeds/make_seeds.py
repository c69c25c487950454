#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/seeds/<target>/ from tests/vectors/srp-public.json.

Run from anywhere: python3 fuzz/seeds/make_seeds.py. The seeds are committed; rerun after the
vectors or an input format in fuzz/fuzz_targets/ changes.
"""
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, "..", "..", "tests", "vectors", "srp-public.json")

doc = json.load(open(VECTORS, encoding="utf-8"))
cases = doc["srp_cases"]
case = cases[0]  # pub-01-basic: the fuzz targets use its secret a


def dumps(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def verifier(c, name="PASSWORD_VERIFIER", session=None, username=None):
    reply = {
        "ChallengeName": name,
        "ChallengeParameters": {
            "SALT": c["salt_hex"],
            "SECRET_BLOCK": c["secret_block_b64"],
            "SRP_B": c["srp_b_hex"],
            "USERNAME": username or c["user_id_for_srp"],
            "USER_ID_FOR_SRP": c["user_id_for_srp"],
        },
    }
    if session:
        reply["Session"] = session
    return dumps(reply)


def step(status, answer, body):
    """One sign_in step; steps are joined with 0xFF (the trailing one is stripped below)."""
    return bytes([status, answer]) + body + b"\xff"


def challenge(name, params, session="AYABsession"):
    return dumps({"ChallengeName": name, "Session": session, "ChallengeParameters": params})


TOKENS = dumps({
    "AuthenticationResult": {
        "AccessToken": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln",
        "ExpiresIn": 3600,
        "IdToken": "eyJhbGciOiJIUzI1NiJ9.eyJ0b2tlbl91c2UiOiJpZCJ9.c2ln",
        "RefreshToken": "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.abc.def",
        "TokenType": "Bearer",
        "NewDeviceMetadata": {"DeviceKey": "us-east-1_dev", "DeviceGroupKey": "-grp"},
    },
    "ChallengeParameters": {},
})
MFA = dumps({"ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": "AYABeF" + "x" * 40,
             "ChallengeParameters": {"FRIENDLY_DEVICE_NAME": "phone \"\\u00e9\""}})
DEVICE_SRP = dumps({"ChallengeName": "DEVICE_SRP_AUTH", "Session": "S2",
                    "ChallengeParameters": {"USERNAME": case["user_id_for_srp"]}})
SELECT = dumps({"ChallengeName": "SELECT_CHALLENGE", "Session": "S3",
                "AvailableChallenges": ["PASSWORD_SRP", "EMAIL_OTP"], "ChallengeParameters": {}})
ERROR = dumps({"__type": "NotAuthorizedException", "message": "Incorrect username or password."})
THROTTLED = dumps({"__type": "TooManyRequestsException", "message": "Rate exceeded"})
ESCAPES = rb'{"a":"\u00e9\ud83d\ude00\n\"\\\/","b":[1,-0.5e+3,true,false,null,{}],"c":{"d":[[]]}}'

seeds = {
    "json_parse": [verifier(case, session="AYAB"), TOKENS, MFA, SELECT, ERROR, ESCAPES, b"{}",
                   b' { "k" : [ 1 , 2 ] } '],
    "auth_reply": [
        b"\x00\xc8\x00" + verifier(case, session="AYAB"),
        b"\x00\xc8\x00" + TOKENS,
        b"\x00\xc8\x00" + MFA,
        b"\x00\xc8\x00" + SELECT,
        b"\x00\xc8\x00" + ERROR,
        b"\x01\x90\x00" + ERROR,
        b"\x01\x90" + bytes([len(b"NotAuthorizedException:http://x") + 1])
        + b"NotAuthorizedException:http://x" + b'{"message":"m"}',
        b"\x01\xf4\x00" + b"<html>bad gateway</html>",
        b"\x01\xad\x00" + THROTTLED,
    ],
    # flags, then replies separated by 0xFF, each a status selector (0 = 200, 4 = 400, 5 = 500,
    # 6 = 429) and a body.
    "srp_sign_in": [
        b"\x00" + b"\x00" + verifier(case) + b"\xff\x00" + TOKENS,
        b"\x02" + b"\x00" + verifier(case, session="AYAB") + b"\xff\x00" + MFA,
        b"\x04" + b"\x00" + verifier(case, session="AYAB") + b"\xff\x00" + SELECT,
        b"\x08" + b"\x00" + verifier(case) + b"\xff\x06" + THROTTLED + b"\xff\x00" + TOKENS,
        b"\x00" + b"\x04" + ERROR,
        b"\x01" + b"\x00" + verifier(case, session="S1") + b"\xff\x00" + DEVICE_SRP
        + b"\xff\x00" + verifier(cases[7], "DEVICE_PASSWORD_VERIFIER", session="S3")
        + b"\xff\x00" + TOKENS,
    ],
    # method byte, then steps separated by 0xFF: status selector, answer selector, reply body.
    "sign_in": [
        b"\x00" + step(0, 0, verifier(case)) + step(0, 0, MFA) + step(0, 0, TOKENS),
        b"\x01" + step(0, 0, challenge("NEW_PASSWORD_REQUIRED",
                                        {"requiredAttributes": "[\"userAttributes.name\"]"}))
        + step(0, 9, TOKENS),
        b"\x02" + step(0, 0, challenge("CUSTOM_CHALLENGE", {"q": "2+2"})) + step(0, 11, TOKENS),
        b"\x04" + step(0, 0, SELECT) + step(0, 12, TOKENS),
        b"\x06" + step(0, 0, verifier(case)) + step(0, 0, TOKENS),
        b"\x01" + step(0, 0, challenge("MFA_SETUP", {"MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\"]"}))
        + step(0, 5, dumps({"SecretCode": "JBSWY3DPEHPK3PXP", "Session": "s2"}))
        + step(0, 6, dumps({"Status": "SUCCESS", "Session": "s3"})) + step(0, 0, TOKENS),
        b"\x10" + step(4, 0, dumps({"__type": "ResourceNotFoundException", "message": "Device does not exist."}))
        + step(0, 0, verifier(case)) + step(0, 0, TOKENS),
        b"\x07" + step(0, 0, challenge("EMAIL_OTP", {"CODE_DELIVERY_DESTINATION": "a***@e***"}))
        + step(0, 0, TOKENS),
        b"\x01" + step(0, 0, challenge("SMS_MFA", {})) + step(4, 0, dumps({"__type": "CodeMismatchException"}))
        + step(0, 0, TOKENS),
        b"\x0c" + step(0, 0, challenge("SELECT_MFA_TYPE", {"MFAS_CAN_CHOOSE": "[\"SMS_MFA\"]"}))
        + step(0, 2, challenge("SMS_MFA", {})) + step(0, 0, TOKENS),
        # USER_AUTH: choose WEB_AUTHN, answer with a credential.
        b"\x04" + step(0, 0, SELECT)
        + step(0, 16, challenge("WEB_AUTHN", {"CREDENTIAL_REQUEST_OPTIONS": "{\"challenge\":\"x\"}"}))
        + step(0, 17, TOKENS),
        # A new password the pool refuses (AnswerRefused), then one it accepts.
        b"\x01" + step(0, 0, challenge("NEW_PASSWORD_REQUIRED",
                                        {"requiredAttributes": "[\"userAttributes.name\"]"}))
        + step(4, 9, dumps({"__type": "InvalidPasswordException", "message": "too short"}))
        + step(0, 9, TOKENS),
    ],
    # 8 bytes of unix seconds, then SALT, SRP_B, SECRET_BLOCK, realm, user id, password.
    "srp_claim": [
        struct.pack(">Q", c["now_epoch_ms"] // 1000)
        + b"\x00".join(s.encode() for s in (c["salt_hex"], c["srp_b_hex"], c["secret_block_b64"],
                                            c["pool_name"], c["user_id_for_srp"], c["password"]))
        for c in cases
    ],
}

seeds["sign_in"] = [seed.removesuffix(b"\xff") for seed in seeds["sign_in"]]

for target, inputs in seeds.items():
    out = os.path.join(HERE, target)
    os.makedirs(out, exist_ok=True)
    for i, data in enumerate(inputs):
        with open(os.path.join(out, f"seed-{i:02}"), "wb") as f:
            f.write(data)
    print(f"{target}: {len(inputs)} seeds")
