#!/usr/bin/env python3
"""Generates adapters/embassy/src/tls/anchors/amazon.rs: the trust anchors of Amazon Root CA 1-4
and Starfield Services Root CA G2 as Rust constants, taken from the `webpki-roots` crate (Mozilla's
roots, via the CCADB).

For each root the script reads the PEM certificate that webpki-roots keeps in the comment above
its entry, checks it against the SHA-256 fingerprint beside it, and takes from the DER the
contents of the subject Name and of the subjectPublicKeyInfo (the form webpki's `TrustAnchor`
holds). It refuses a root with name constraints (none of these has any; the generated code
would need them). The whole certificate is kept too, for the crate's tests only.
The crate's test `anchors::tests::amazon_roots_match_webpki_roots` checks the result against
webpki-roots' own entries.

Usage: scripts/gen_amazon_anchors.py [path/to/webpki-roots-1.0.x/src/lib.rs]
Without a path it takes the newest webpki-roots 1.0.x in ~/.cargo/registry/src. The output is
formatted with rustfmt (edition 2024) and written in place; it depends only on the input.
"""
import base64
import glob
import hashlib
import os
import re
import subprocess
import sys

# The roots, in the order of the generated array, and the name of each constant.
ROOTS = [
    ("Amazon Root CA 1", "AMAZON_ROOT_CA_1"),
    ("Amazon Root CA 2", "AMAZON_ROOT_CA_2"),
    ("Amazon Root CA 3", "AMAZON_ROOT_CA_3"),
    ("Amazon Root CA 4", "AMAZON_ROOT_CA_4"),
    ("Starfield Services Root Certificate Authority - G2", "STARFIELD_SERVICES_ROOT_CA_G2"),
]

OUTPUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "adapters", "embassy", "src", "tls", "anchors", "amazon.rs",
)

# The DER of the extnID of nameConstraints (2.5.29.30).
NAME_CONSTRAINTS_OID = bytes([0x55, 0x1D, 0x1E])


def default_input():
    """The lib.rs of the newest webpki-roots 1.0.x in the cargo registry."""
    pattern = os.path.expanduser("~/.cargo/registry/src/*/webpki-roots-1.0.*/src/lib.rs")
    found = glob.glob(pattern)
    if not found:
        sys.exit(f"no webpki-roots 1.0.x under {pattern}: pass the path of its src/lib.rs")

    def version(path):
        m = re.search(r"webpki-roots-1\.0\.(\d+)", path)
        return int(m.group(1)) if m else -1

    return max(found, key=version)


def tlv(data, pos):
    """The (tag, value start, value end) of the DER element at `pos`."""
    tag = data[pos]
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4:
            raise ValueError("unsupported DER length")
        length = int.from_bytes(data[pos:pos + count], "big")
        pos += count
    end = pos + length
    if end > len(data):
        raise ValueError("DER element runs past its container")
    return tag, pos, end


def children(data, start, end):
    """The (tag, value start, value end) of each element in data[start:end]."""
    out = []
    pos = start
    while pos < end:
        tag, vstart, vend = tlv(data, pos)
        out.append((tag, vstart, vend))
        pos = vend
    return out


def anchor_parts(der):
    """The subject Name's and the subjectPublicKeyInfo's contents; refuses name constraints."""
    tag, start, end = tlv(der, 0)
    assert tag == 0x30 and end == len(der), "a certificate is one SEQUENCE"
    tbs_tag, tbs_start, tbs_end = children(der, start, end)[0]
    assert tbs_tag == 0x30, "tbsCertificate is a SEQUENCE"
    fields = children(der, tbs_start, tbs_end)
    if fields[0][0] == 0xA0:  # [0] version
        fields = fields[1:]
    # serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, then optional.
    subject, spki = fields[4], fields[5]
    assert subject[0] == 0x30 and spki[0] == 0x30, "subject and SPKI are SEQUENCEs"
    for tag, vstart, vend in fields[6:]:
        if tag != 0xA3:  # [3] extensions
            continue
        (_, seq_start, seq_end), = children(der, vstart, vend)
        for _, ext_start, ext_end in children(der, seq_start, seq_end):
            oid_tag, oid_start, oid_end = children(der, ext_start, ext_end)[0]
            if oid_tag == 0x06 and der[oid_start:oid_end] == NAME_CONSTRAINTS_OID:
                raise ValueError("a root with name constraints: extend the generator")
    return der[subject[1]:subject[2]], der[spki[1]:spki[2]]


def entries(source):
    """Each webpki-roots entry's label, fingerprint and certificate (DER), by label."""
    out = {}
    for block in re.findall(r"/\*(.*?)\*/", source, re.S):
        label = re.search(r'\* Label: "([^"]*)"', block)
        fingerprint = re.search(r"\* SHA256 Fingerprint: ([0-9a-f:]+)", block)
        pem = re.search(
            r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", block, re.S
        )
        if not (label and fingerprint and pem):
            continue
        body = "".join(line.strip().lstrip("*").strip() for line in pem.group(1).splitlines())
        der = base64.b64decode(body, validate=True)
        want = fingerprint.group(1).replace(":", "")
        if hashlib.sha256(der).hexdigest() != want:
            raise ValueError(f"{label.group(1)}: the PEM does not match its fingerprint")
        out[label.group(1)] = (fingerprint.group(1), der)
    return out


def byte_string(data, indent):
    """A Rust byte string literal of `data` starting at column `indent`, 16 bytes a line."""
    chunks = ["".join(f"\\x{b:02x}" for b in data[i:i + 16]) for i in range(0, len(data), 16)]
    return 'b"' + ("\\\n" + " " * (indent + 2)).join(chunks) + '"'


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else default_input()
    with open(path, encoding="utf-8") as f:
        source = f.read()
    version = re.search(r"webpki-roots-(\d+\.\d+\.\d+)", os.path.abspath(path))
    version = version.group(1) if version else "1.0.x"
    found = entries(source)

    out = [
        "//! GENERATED by `scripts/gen_amazon_anchors.py` from webpki-roots "
        f"{version} (Mozilla's roots,",
        "//! via the CCADB): do not edit. The trust anchors of the roots Amazon's chains end at",
        "//! (see [`TrustAnchors::amazon`](super::TrustAnchors::amazon)), each checked against its",
        "//! SHA-256 fingerprint when generated.",
        "",
        "use rustls_pki_types::{Der, TrustAnchor};",
        "",
    ]
    for label, name in ROOTS:
        if label not in found:
            sys.exit(f"{label}: not in {path}")
        fingerprint, der = found[label]
        subject, spki = anchor_parts(der)
        out += [
            f"/// {label} (SHA-256 fingerprint",
            f"/// `{fingerprint}`).",
            f"pub(super) const {name}: TrustAnchor<'static> = TrustAnchor {{",
            f"    subject: Der::from_slice({byte_string(subject, 8)}),",
            f"    subject_public_key_info: Der::from_slice({byte_string(spki, 8)}),",
            "    name_constraints: None,",
            "};",
            "",
        ]
    names = ", ".join(name for _, name in ROOTS)
    labels = ", ".join(f'"{label}"' for label, _ in ROOTS)
    out += [
        "/// The five roots, in one static (a single copy in flash).",
        f"pub(super) static ROOTS: [TrustAnchor<'static>; {len(ROOTS)}] = [{names}];",
        "",
        "/// Each root's label in webpki-roots (and Mozilla's list), in the order of [`ROOTS`].",
        "#[cfg(test)]",
        f"pub(crate) const LABELS: [&str; {len(ROOTS)}] = [{labels}];",
        "",
        "/// Each root's whole certificate (DER), in the order of [`ROOTS`]: for tests only.",
        "#[cfg(test)]",
        f"pub(crate) const CERTIFICATES: [&[u8]; {len(ROOTS)}] = [",
    ]
    for label, _ in ROOTS:
        out.append(f"    // {label}")
        out.append(f"    {byte_string(found[label][1], 4)},")
    out += ["];", ""]

    text = "\n".join(out)
    formatted = subprocess.run(
        ["rustfmt", "--edition", "2024", "--emit", "stdout"],
        input=text, capture_output=True, text=True, check=True,
    ).stdout
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w", encoding="utf-8") as f:
        f.write(formatted)
    print(f"wrote {os.path.normpath(OUTPUT)} from {path}")


if __name__ == "__main__":
    main()
