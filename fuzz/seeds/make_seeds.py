#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/seeds/<target>/ (the SRP ones from tests/vectors/srp-public.json).

Run from anywhere: python3 fuzz/seeds/make_seeds.py. The seeds are committed and replayed by
`cargo test -p cognito-fuzz-harness`; rerun after the vectors or an input format (documented at
the top of each fuzz/harness/src/<target>.rs) changes.
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


# --- account_replies: reader selector, status byte (low 3 bits: 200, 200, 200, 201, 400, 500,
# 429, 302; bit 3: an x-amzn-ErrorType header of the next byte's length follows), body.
def account(selector, body, status=0, header=None):
    if header is None:
        return bytes([selector, status]) + body
    return bytes([selector, status | 8, len(header)]) + header.encode() + body


DELIVERY = {"Destination": "a***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
ATTRS = [{"Name": "sub", "Value": "5f0e"}, {"Name": "email", "Value": "a@example.com"},
         {"Name": "custom:tier", "Value": "gold \"\u00e9\""}, {"Name": "email", "Value": "b@example.com"},
         {"Name": "email_verified"}]
DEVICE = {"DeviceKey": "us-east-1_0f1e", "DeviceCreateDate": 1.7000000001e9,
          "DeviceLastModifiedDate": 1700000000, "DeviceLastAuthenticatedDate": None,
          "DeviceAttributes": [{"Name": "device_name", "Value": "kiosk"},
                               {"Name": "last_ip_used", "Value": "192.0.2.1"}]}
CREDENTIAL = {"CredentialId": "cred-1", "FriendlyCredentialName": "Phone \u2603",
              "RelyingPartyId": "example.com", "AuthenticatorAttachment": "platform",
              "AuthenticatorTransports": ["internal", "hybrid"], "CreatedAt": 1.7e9}
seeds["account_replies"] = [
    account(0, dumps({"UserSub": "5f0e-uuid", "UserConfirmed": False,
                      "CodeDeliveryDetails": DELIVERY, "Session": "AYAB"})),
    account(0, dumps({"UserSub": "5f0e-uuid", "UserConfirmed": True})),
    account(1, dumps({"Session": "AYABsession"})),
    account(2, dumps({"CodeDeliveryDetails": DELIVERY})),
    account(3, rb'{"CodeDeliveryDetails":{"Destination":"+\u002a**0100","DeliveryMedium":"SMS"}}'),
    account(4, b" "),
    account(5, dumps({"Username": "alice", "UserAttributes": ATTRS,
                      "MFAOptions": [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}],
                      "PreferredMfaSetting": "SOFTWARE_TOKEN_MFA",
                      "UserMFASettingList": ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]})),
    account(6, dumps({"Username": "al\u00efce", "PreferredMfaSetting": "EMAIL_OTP",
                      "UserMFASettingList": ["EMAIL_OTP"],
                      "ConfiguredUserAuthFactors": ["PASSWORD", "WEB_AUTHN"]})),
    account(7, dumps({"CodeDeliveryDetailsList": [DELIVERY, {"DeliveryMedium": "SMS"}]})),
    account(8, dumps({"SecretCode": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "Session": "s2"})),
    account(9, dumps({"Status": "SUCCESS", "Session": "s3"})),
    account(9, dumps({"Status": "ERROR"})),
    account(10, dumps({"Device": DEVICE})),
    account(11, dumps({"Devices": [DEVICE, {"DeviceKey": "k2"}], "PaginationToken": "next"})),
    account(12, dumps({"UserConfirmationNecessary": True})),
    account(12, b"{}"),
    account(13, dumps({"CredentialCreationOptions": {"challenge": "abc", "rp": {"id": "example.com"},
                                                     "pubKeyCredParams": [{"alg": -7}]}})),
    account(14, dumps({"Credentials": [CREDENTIAL], "NextToken": "n"})),
    account(15, b"{}"),
    account(15, ERROR, status=4),
    account(5, b'{"message":"Access Token has expired"}', status=4, header="NotAuthorizedException:"),
    account(11, THROTTLED, status=6),
    account(10, b'{"__type":"com.amazonaws.cognito#ResourceNotFoundException","Message":"Device does not exist."}'),
    account(5, b"<html>502</html>", status=5),
    account(14, b"{}", status=7),
    # Duplicate keys (the last wins), null as absent, escapes where a plain value is needed.
    account(5, b'{"Username":"first","UserAttributes":[],"Username":"al\\u0069ce","PreferredMfaSetting":null}'),
    account(11, b'{"Devices":null,"PaginationToken":"a","PaginationToken":"b"}'),
    account(8, b"{}"),
    account(8, b'{"SecretCode":"JBSW\\u0059"}'),
]

# --- device_registration: flags, then replies separated by 0xFF (status selector + body).
CONFIRM = dumps({"UserConfirmationNecessary": True})
seeds["device_registration"] = [
    b"\x00" + b"\x00" + CONFIRM + b"\xff\x00{}",
    b"\x01" + b"\x00" + CONFIRM + b"\xff\x00{}",
    b"\x02" + b"\x00{}",
    b"\x04" + b"\x06" + THROTTLED + b"\xff\x00" + CONFIRM + b"\xff\x05"
    + dumps({"__type": "InternalErrorException"}) + b"\xff\x00{}",
    b"\x08" + b"\x04" + dumps({"__type": "NotAuthorizedException", "message": "Invalid access token"}),
    b"\x10" + b"\x0c{}" + b"\xff\x00" + dumps({"UserConfirmationNecessary": False}),
    b"\x18" + b"\x00" + CONFIRM + b"\xff\x04" + dumps({"__type": "DeviceKeyExistsException"}),
]

# --- challenge: selector (low 4 bits: the ChallengeName, 13-15 raw body; bit 4
# AvailableChallenges; bit 5 an escaped Session), then ChallengeParameters.
seeds["challenge"] = [
    b"\x00" + dumps({"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS", "CODE_DELIVERY_DESTINATION": "+*******0100"}),
    b"\x01" + dumps({"FRIENDLY_DEVICE_NAME": "phone"}),
    b"\x02" + rb'{"CODE_DELIVERY_DELIVERY_MEDIUM":"\u0045MAIL","CODE_DELIVERY_DESTINATION":"a***@e***"}',
    b"\x03" + b"{}",
    b"\x04" + dumps({"MFAS_CAN_CHOOSE": "[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\",\"FUTURE_MFA\"]"}),
    b"\x04" + dumps({"MFAS_CAN_CHOOSE": ["EMAIL_OTP", "SMS_MFA"]}),
    b"\x05" + dumps({"MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\",\"EMAIL_OTP\"]"}),
    b"\x06" + dumps({"requiredAttributes": "[\"userAttributes.name\",\"userAttributes.custom:tier\"]",
                     "userAttributes": "{\"email\":\"a@example.com\"}"}),
    b"\x06" + rb'{"requiredAttributes":" [ \"userAttributes.a\\\"b\", \"\\u0078\" ] "}',
    b"\x07" + dumps({"q": "2+2", "USERNAME": "alice"}),
    b"\x18" + b"{}",
    b"\x08" + dumps({"AVAILABLE_CHALLENGES": "[\"PASSWORD_SRP\",\"WEB_AUTHN\"]"}),
    b"\x09" + dumps({"CREDENTIAL_REQUEST_OPTIONS": "{\"challenge\":\"abc\",\"rpId\":\"example.com\"}"}),
    b"\x09" + b"{}",
    b"\x0a" + dumps({"SALT": case["salt_hex"], "SRP_B": case["srp_b_hex"][:32],
                     "SECRET_BLOCK": "AAAA", "USERNAME": "alice", "USER_ID_FOR_SRP": "alice"}),
    b"\x0c" + dumps({"anything": ["goes", 1, None]}),
    b"\x0d" + TOKENS,
    b"\x0e" + dumps({"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": None}),
    b"\x21" + b"{}",
    b"\x04" + dumps({"MFAS_CAN_CHOOSE": "SMS_MFA"}),
]


# --- token: mode byte (0 token text, 1 payload JSON, 2 TokenSet script).
def b64url(data):
    import base64
    return base64.urlsafe_b64encode(data).rstrip(b"=")


ACCESS_CLAIMS = {"sub": "5f0e", "device_key": "us-east-1_dev", "cognito:groups": ["admin", "ops"],
                 "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1",
                 "client_id": "3n4b5urk1ft4fl3mg5e62d9ado", "origin_jti": "o-1", "event_id": "e",
                 "token_use": "access", "scope": "aws.cognito.signin.user.admin openid",
                 "auth_time": 1767600000, "exp": 1767603600, "iat": 1767600000, "jti": "j-1",
                 "username": "alice"}
ID_CLAIMS = {"sub": "5f0e", "email_verified": "true", "aud": "3n4b5urk1ft4fl3mg5e62d9ado",
             "cognito:username": "alice", "custom:tier": "gold", "custom:": 1, "token_use": "id",
             "exp": 1.7676036e9, "iat": 1767600000.5, "email": "a@example.com"}
JWT_HEADER = dumps({"kid": "abc=", "alg": "RS256"})
seeds["token"] = [
    b"\x00" + b64url(JWT_HEADER) + b"." + b64url(dumps(ACCESS_CLAIMS)) + b".c2lnbmF0dXJl",
    b"\x00" + b64url(JWT_HEADER) + b"=." + b64url(b'{"sub":"x"}') + b"==.",
    b"\x00" + b"a.b.c.d",
    b"\x00" + b"eyJ.eyJ9.",
    b"\x01" + dumps(ACCESS_CLAIMS),
    b"\x01" + dumps(ID_CLAIMS),
    b"\x01" + rb'{"aud":["a","b"],"email_verified":false,"exp":-1,"iat":1e400,"scope":"a\u0020b"}',
    b"\x01" + b"[1]",
    b"\x02" + struct.pack(">QI", 1767600000 - 7200, 3600) + b"\x03" + dumps(ACCESS_CLAIMS)
    + b"\xff" + dumps({"iat": 1767603000, "exp": 1767606600}),
    b"\x02" + struct.pack(">QI", 1767600000, 3600) + b"\x34" + dumps({"device_key": "k"})
    + b"\xff" + dumps({"device_key": "k2"}),
    b"\x02" + struct.pack(">QI", 2**64 - 1, 2**32 - 1) + b"\x4e" + dumps({"iat": 0, "exp": 2**64 - 1}),
    b"\x02" + struct.pack(">QI", 0, 60) + b"\x08" + dumps({"padding": "x" * 200}),
]

# --- http_date: mode byte (0 text, 1 seconds formatted, 2 seconds formatted then mutated).
seeds["http_date"] = [b"\x00" + t.encode() for t in (
    "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
    "Thu, 29 Feb 2024 23:59:60 GMT", " \tThu, 01 Jan 1970 00:00:00 GMT\t", "Fri, 31 Dec 9999 23:59:59 GMT",
    "Mon, 06 Nov 1994 08:49:37 GMT", "Sun, 31 Apr 2024 08:49:37 GMT", "Thursday, 01-Jan-70 00:00:00 GMT",
    "Wed Jan 15 10:00:00 2025", "sun, 06 nov 1994 08:49:37 gmt", "Sun, 6 Nov 1994 08:49:37 GMT",
)] + [b"\x01" + struct.pack(">Q", t) for t in (0, 784111777, 253402300799, 253402300800, 2**64 - 1)] + [
    b"\x02" + struct.pack(">Q", 1767600547) + bytes([i, c]) for i, c in ((0, ord("M")), (5, ord("1")), (26, ord("Z")))]

# --- totp: mode byte (0 base32, 1 otpauth URI, 2 codes).
seeds["totp"] = [b"\x00" + t.encode() for t in (
    "JBSWY3DPEHPK3PXP", "mzxw 6ytb oi======", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "MZXW6===", "MY======",
    "A", "AB=C", "MZXW6YQ=", "MZXW6YTBOI", "", "=" * 8, "MZXW6YTBOI======",
)] + [
    b"\x01" + bytes([0, 0, 30]) + b"Example Co\x00alice@example.com\x00" + b"12345678901234567890",
    b"\x01" + bytes([2, 0, 60]) + b"\x00bob\x00" + bytes(range(32)),
    b"\x01" + bytes([1, 0, 30]) + b"A:B\x00c\x00xyz",
    b"\x01" + bytes([0x89, 0, 30]) + b"i\x00a\x00k",
    b"\x02" + bytes([0, 0, 30]) + struct.pack(">Q", 59) + bytes([1, 3]) + b"12345678901234567890",
    b"\x02" + bytes([2, 0, 30]) + struct.pack(">Q", 1111111109) + bytes([2, 5]) + b"12345678901234567890",
    b"\x02" + bytes([1, 0, 1]) + struct.pack(">Q", 2**64 - 1) + bytes([7, 0x80]) + b"k",
]

# --- embassy_http: mode byte (0-1 raw: buffer selector, split seed, stream; 2-3 structured:
# status byte, two flag bytes, chunk seed, body).
OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n{}"
seeds["embassy_http"] = [
    b"\x00\x00\x07" + OK,
    b"\x00\x00\x07" + OK + b"extra",
    b"\x00\x01\x03" + b"HTTP/1.1 100 Continue\r\n\r\n" + OK,
    b"\x00\x00\x09" + b"HTTP/1.1 400 Bad Request\r\nx-amzn-ErrorType: NotAuthorizedException:\r\n"
    b"Transfer-Encoding: chunked\r\n\r\n5;x=y\r\n{\"a\":\r\n3\r\n1}\n\r\n0\r\nT: 1\r\n\r\n",
    b"\x00\x04\x01" + b"HTTP/1.0 200 OK\r\nx-amzn-RequestId: r\r\n\r\nbody until close",
    b"\x00\x02\x05" + b"HTTP/1.1 204 No Content\r\n\r\n",
    b"\x00\x00\x00" + b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}",
    b"\x02\x00\x00\x00\x01" + b'{"ok":true}',
    b"\x02\x04\xe5\x00\x02" + b'{"__type":"NotAuthorizedException"}',
    b"\x02\x08\x0f\xfe\x11" + b"x" * 100,
    b"\x02\x01\x10\x00\x00",
    b"\x02\x0e\x19\x06\x03" + b"0123456789" * 5,
]

# --- oauth_redirect: mode byte (even: expected state, 0x00, URL; odd: flag byte, then code,
# state, error, error_description, extra name split by 0x00).
CODE = b"0f3c5a1e-8b2d-4e6f-9a7b-1c2d3e4f5a6b"
STATE = b"Xk7mQ2pL9vR4tY8wZ1aB3cD5eF6gH0jK"
seeds["oauth_redirect"] = [
    b"\x00" + STATE + b"\x00http://localhost:8400/callback?code=" + CODE + b"&state=" + STATE,
    b"\x00s/1 x\x00/callback?state=s%2F1+x&code=a-b#frag",
    b"\x00" + STATE + b"\x00myapp://callback?state=" + STATE + b"&error=access_denied"
    b"&error_description=User+cancelled+the+sign-in",
    b"\x00abc\x00/cb?error=invalid_request&error_description=redirect_uri_mismatch",
    b"\x00abc\x00/cb?error=server_error&error_description=%C3%A9chec%0A&state=abc",
    b"\x00abc\x00/cb?code=a&state=abc&state=abc",
    b"\x00abc\x00/cb?code=a&st%61te=abd",
    b"\x00abc\x00/cb?state=abc&code=%zz",
    b"\x00abc\x00/cb?state=abc&code=a+b&code=c",
    b"\x00abc\x00/cb?state=abc&code=" + b"a" * 513,
    b"\x00\x00/cb?state=&code=x&&flag",
    # A saved hosted sign-in (HostedSignIn::save), the state as its client id.
    b"\x00client\x00cognito_hosted_sign_in=1&client_id=client&redirect_uri=https%3A%2F%2Fapp.example.com"
    b"%2Fcallback&scope=openid%20email&code_verifier=" + b"v" * 43 + b"&state=" + STATE
    + b"&nonce=" + STATE,
    b"\x01\x00" + CODE + b"\x00" + STATE + b" /+&=#%\x00\x00\x00",
    b"\x01\x84c0de\x00st@te \xc3\xa9\x00access_denied\x00User cancelled\x00https://app.example.com/cb",
    b"\x01\x4aa b\x00s\x00\x00\x00state",
    b"\x01\x33" + CODE + b"\x00s/1:?@\x00\x00\x00",
    b"\x01\x42c+d\x00a b\x00\x00\x00x",
    b"\x01\x81\x00q\x00e\x00d\x00",
]

# --- oauth_reply: mode byte (even: status (2 bytes BE), body; odd: writer flags (low 3 bits:
# code, refresh, client credentials, revoke, userInfo; 0x80 secret; 0x40 short buffer), then
# client id, secret and three values split by 0x00).
ACCESS = b"eyJraWQiOiJrMSIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiIxZXhhbXBsZTIzNDU2Nzg5Iiwic2NvcGUiOiJteS1hcGkvcmVhZCJ9.c2ln"
def reply(status, body):
    return b"\x00" + struct.pack(">H", status) + body
seeds["oauth_reply"] = [
    reply(200, b'{"access_token":"' + ACCESS + b'","expires_in":3600,"token_type":"Bearer"}'),
    reply(200, b'{"id_token":"eyJ.aWQ.c2ln","access_token":"' + ACCESS + b'","refresh_token":"eyJjdHkiOiJKV1QifQ.a.b.c.d",'
          b'"expires_in":3600,"token_type":"Bearer"}'),
    reply(400, b'{"error":"invalid_scope","error_description":"Invalid scope requested"}'),
    reply(400, b'{"error":"invalid_grant"}'),
    reply(401, b'{"error":"invalid_client","error_description":"Client authentication failed"}'),
    reply(200, b'{"sub":"5e1f8a2b-0c3d-4e5f-8a9b-0c1d2e3f4a5b","email_verified":"true","email":"alice@example.com",'
          b'"username":"alice","phone_number_verified":false}'),
    reply(401, b'{"error":"invalid_token","error_description":"Access token has been revoked"}'),
    reply(503, b"<html><body>Service Unavailable</body></html>"),
    reply(302, b""),
    reply(200, b""),
    reply(200, b'{"access_token":"a\\/b","expires_in":1,"token_type":"bearer"}'),
    reply(200, b'{"access_token":"a","expires_in":18446744073709551615,"token_type":"BEARER"}'),
    reply(429, b'{"error":"' + b"x" * 70 + b'","error_description":"\\u00e9' + "é".encode() * 130 + b'"}'),
    b"\x01\x82" + b"1example23456789\x00s3cr3t0value0with0length0of0fifty0one0chars0xxxxxxxxx\x00my-api/read my-api/write\x00\x00",
    b"\x01\x00" + b"1example23456789\x00\x00" + CODE + b"\x00http://127.0.0.1:8400/callback\x00dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
    b"\x01\x81" + b"abc\x00s+/=\x00eyJjdHkiOiJKV1QifQ.a.b.c.d\x00\x00",
    b"\x01\x03" + b"abc\x00\x00r.t\x00\x00",
    b"\x01\x04" + b"\x00\x00" + ACCESS + b"\x00\x00",
    b"\x01\xc2" + b"id\x00secret\x00a/b\x00\x00",
    b"\x01\x82" + b"a:b\x00s\x00x\x00\x00",
    b"\x01\x82" + b"abc\x00s\x00a  b\x00\x00",
    b"\x01\x02" + b"abc\x00\x00a\x00\x00",
]

# --- identity_reply: mode byte (even: status (2 bytes BE), body, with bit 1 an x-amzn-ErrorType
# ended by 0x00 first; odd: writer flags (low 2 bits: GetId, GetCredentialsForIdentity,
# GetOpenIdToken; 0x80 a login; 0x40 an account id / role ARN), then the id, the provider, the
# token and the account id / role ARN split by 0x00).
IDENTITY = b"eu-west-1:77aa0c1b-4f7e-9d3a-1a2b-3c4d5e6f7a8b"
SESSION = b"IQoJb3JpZ2luX2VjEOT//////////wEaCWV1LXdlc3QtMSJHMEUCIQD" + b"x" * 900 + b"=="
seeds["identity_reply"] = [
    reply(200, b'{"IdentityId":"' + IDENTITY + b'"}'),
    reply(200, b'{"Credentials":{"AccessKeyId":"ASIAQEXAMPLE4KEYID7Z","Expiration":1.700003600E9,'
          b'"SecretKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY","SessionToken":"' + SESSION + b'"},'
          b'"IdentityId":"' + IDENTITY + b'"}'),
    reply(200, b'{"IdentityId":"' + IDENTITY + b'","Credentials":{"AccessKeyId":"ASIA1","SecretKey":"s",'
          b'"SessionToken":"t","Expiration":1700003600.25}}'),
    reply(200, b'{"IdentityId":"' + IDENTITY + b'","Token":"eyJraWQiOiJldS13ZXN0LTEtMSJ9.eyJhdWQiOiJldS13ZXN0LTEifQ.c2ln"}'),
    reply(400, b'{"__type":"NotAuthorizedException","message":"Invalid login token. Token expired: 1700000000 >= 1699999000"}'),
    reply(400, b'{"__type":"ResourceNotFoundException","message":"IdentityPool \'eu-west-1:5e9f\' not found."}'),
    b"\x02" + struct.pack(">H", 400) + b"ResourceConflictException:http://internal.amazon.com/coral/com.amazonaws.cognito.identity.model/\x00"
        + b'{"message":"Logins do not match"}',
    reply(500, b'{"__type":"InternalErrorException","message":"An internal error occurred"}'),
    reply(200, b'{"IdentityId":"nocolon","Credentials":{}}'),
    reply(200, b'{"IdentityId":"' + IDENTITY + b'","Credentials":{"AccessKeyId":"A","SecretKey":"S","SessionToken":"T","Expiration":-1}}'),
    b"\x01\x80" + b"eu-west-1:5e9f6a2c-0c1b-4f7e-9d3a-1a2b3c4d5e6f\x00cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123\x00eyJ.id.token\x00",
    b"\x01\x00" + b"eu-west-1:5e9f6a2c-0c1b-4f7e-9d3a-1a2b3c4d5e6f\x00\x00\x00",
    b"\x01\xc1" + IDENTITY + b"\x00accounts.google.com\x00ya29.token\x00arn:aws:iam::123456789012:role/Device",
    b"\x01\x42" + IDENTITY + b"\x00\x00\x00\x00",
    b"\x01\x40" + b"us-east-1:p\x00\x00\x00\x00",
    b"\x01\x80" + b"us-east-1:p\x00\x00tok\x00",
    b"\x01\x01" + b"us-east-1\x00\x00\x00",
]

for target, inputs in seeds.items():
    out = os.path.join(HERE, target)
    os.makedirs(out, exist_ok=True)
    for i, data in enumerate(inputs):
        with open(os.path.join(out, f"seed-{i:02}"), "wb") as f:
            f.write(data)
    print(f"{target}: {len(inputs)} seeds")
