#!/usr/bin/env python3
"""Flash figures of the mcu-qemu firmware image, merged into the firmware's JSON line.

usage: mcu_figures.py ELF FIRMWARE_OUTPUT

Reads the ELF (32-bit little-endian ARM, as built for thumbv7em-none-eabihf) with no tools beyond
Python: section sizes, and the sizes of the symbols in .text and .rodata attributed to crates by
their demangled names. Takes the last line of FIRMWARE_OUTPUT (the firmware's JSON object), adds
the flash figures and prints the merged object as one line.

Attribution: a function or object symbol belongs to the first crate named in its demangled path
that is not the standard library (core, alloc, compiler_builtins), so
`core::ptr::drop_in_place<cognito_core::srp::SrpEphemeral>` and
`<cognito_core::srp::JavaBytes as core::fmt::Debug>::fmt` count for cognito_core, and
`crypto_bigint::uint::mul::<impl ...>` for crypto_bigint. Code inlined into another crate's
function counts for that function's crate; anonymous constants (without a symbol) count for no
crate.
"""

import json
import re
import struct
import sys

# The crates cognito-core depends on for SRP (its own, non-optional dependencies and theirs).
CORE_DEPS = {
    "crypto_bigint", "sha2", "sha1", "hmac", "hkdf", "digest", "block_buffer", "generic_array",
    "crypto_common", "subtle", "zeroize", "base64ct", "heapless", "rand_core", "typenum",
    "cpufeatures", "hash32", "stable_deref_trait", "byteorder", "ctutils", "num_traits",
}
RUNTIME = {"core", "alloc", "compiler_builtins"}
FIRMWARE = {"cognito_mcu_qemu", "cortex_m", "cortex_m_rt", "cortex_m_semihosting"}

LEGACY_ESCAPES = {
    "$LT$": "<", "$GT$": ">", "$u20$": " ", "$RF$": "&", "$BP$": "*", "$C$": ",",
    "$SP$": "@", "$LP$": "(", "$RP$": ")", "$u7b$": "{", "$u7d$": "}", "$u5b$": "[",
    "$u5d$": "]", "$u27$": "'", "$u22$": '"', "$u3b$": ";", "$u7e$": "~", "$u21$": "!",
    "$u2b$": "+", "$u3d$": "=",
}


def demangle(name):
    """Rust legacy mangling (`_ZN<len><ident>...E`) to a readable path; others as they are."""
    if not name.startswith("_ZN") or not name.endswith("E"):
        return name
    parts, i, body = [], 0, name[3:-1]
    while i < len(body):
        m = re.match(r"\d+", body[i:])
        if not m:
            return name
        n = int(m.group(0))
        i += len(m.group(0))
        parts.append(body[i:i + n])
        i += n
    if parts and re.fullmatch(r"h[0-9a-f]{16}", parts[-1]):
        parts.pop()
    text = "::".join(p[1:] if p.startswith("_$") else p for p in parts)
    for escape, char in LEGACY_ESCAPES.items():
        text = text.replace(escape, char)
    return text.replace("..", "::")


def crate_of(name):
    """The first non-runtime crate named in a symbol, or None."""
    if name.startswith("_R"):
        # v0 mangling: every path starts at a crate root `C[s<disambiguator>_]<len><name>`.
        candidates = [m.group(2)[: int(m.group(1))] for m in
                      re.finditer(r"C(?:s[0-9A-Za-z]*_)?(\d+)([A-Za-z_][A-Za-z0-9_]*)", name)]
    else:
        # The first segment of each path in the demangled name.
        candidates = re.findall(r"(?:^|[<\s&*(\[,])([A-Za-z_][A-Za-z0-9_]*)::", demangle(name))
    for candidate in candidates:
        if candidate not in RUNTIME:
            return candidate
    return "core" if candidates else None


def read_elf(path):
    data = open(path, "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 1 or data[5] != 1:
        sys.exit(f"{path}: not a 32-bit little-endian ELF")
    shoff, = struct.unpack_from("<I", data, 0x20)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x2E)
    sections = []
    for k in range(shnum):
        sections.append(struct.unpack_from("<IIIIIIIIII", data, shoff + k * shentsize))
    names_off = sections[shstrndx][4]

    def cstr(offset):
        return data[offset:data.index(b"\0", offset)].decode("utf-8", "replace")

    named = [(cstr(names_off + s[0]), s) for s in sections]
    symbols = []
    for name, s in named:
        if s[1] != 2:  # SHT_SYMTAB
            continue
        strtab_off = sections[s[6]][4]
        for off in range(s[4], s[4] + s[5], 16):
            st_name, value, size, info, _other, shndx = struct.unpack_from("<IIIBBH", data, off)
            if size and (info & 0xF) in (1, 2) and 0 < shndx < len(named):  # OBJECT, FUNC
                symbols.append((cstr(strtab_off + st_name), value & ~1, size, named[shndx][0]))
    return named, symbols


def main():
    elf, output = sys.argv[1], sys.argv[2]
    lines = [line for line in open(output, encoding="utf-8").read().splitlines() if line.strip()]
    if not lines:
        sys.exit("the firmware printed nothing")
    figures = json.loads(lines[-1])

    named, symbols = read_elf(elf)
    size = {name: s[5] for name, s in named}
    text, rodata = size.get(".text", 0), size.get(".rodata", 0)
    by_group = {"core": 0, "deps": 0, "runtime": 0, "firmware": 0, "umaal": 0, "other": 0}
    seen = set()
    blob = 0
    for name, value, sym_size, section in symbols:
        if section not in (".text", ".rodata") or (value, sym_size) in seen:
            continue
        seen.add((value, sym_size))
        plain = demangle(name)
        if plain.endswith("vectors::BLOB"):
            blob = sym_size
        crate = crate_of(name)
        if name.startswith("cognito_srp_umaal_") or crate == "cognito_embassy":
            # cognito-embassy's assembly kernel (plain symbols) and its Rust wrappers.
            by_group["umaal"] += sym_size
        elif crate == "cognito_core":
            by_group["core"] += sym_size
        elif crate in CORE_DEPS:
            by_group["deps"] += sym_size
        elif crate in RUNTIME:
            by_group["runtime"] += sym_size
        elif crate in FIRMWARE:
            by_group["firmware"] += sym_size
        else:
            by_group["other"] += sym_size

    figures.update({
        "flash_bytes": text + rodata,
        "text_bytes": text,
        "rodata_bytes": rodata,
        "vector_table_bytes": size.get(".vector_table", 0),
        "data_bytes": size.get(".data", 0),
        "bss_bytes": size.get(".bss", 0) + size.get(".uninit", 0),
        "core_flash_bytes": by_group["core"],
        "core_deps_flash_bytes": by_group["deps"],
        "srp_flash_bytes": by_group["core"] + by_group["deps"],
        "rust_runtime_flash_bytes": by_group["runtime"],
        "firmware_flash_bytes": by_group["firmware"],
        "umaal_kernel_flash_bytes": by_group["umaal"],
        "unattributed_flash_bytes": text + rodata - sum(by_group.values()),
        "flash_bytes_without_vectors": text + rodata - blob,
    })
    if "static_ram_bytes" not in figures:
        figures["static_ram_bytes"] = figures["data_bytes"] + figures["bss_bytes"]
    print(json.dumps(figures, separators=(",", ":")))


if __name__ == "__main__":
    main()
