#!/usr/bin/env python3
"""Writes the packed IMU examples of firmware-notes/examples from imu-1khz.json.

A rig's firmware does the same with its chip's raw counts: a CBOR map whose first key is
fmt: "packed16", the header, and the samples as one byte string of int16 little-endian counts
(ax ay az gx gy gz per sample). Run from the repository root: python3 scripts/packed-examples.py
"""
import json
import math
import struct
from pathlib import Path

EX = Path("firmware-notes/examples")
G = 9.80665
ACCEL_RANGE_G, GYRO_RANGE_DPS = 16, 2000
ACCEL_SCALE_G = ACCEL_RANGE_G / 32768  # 1/2048 g per count, the range register at +-16 g
GYRO_SCALE_DPS = GYRO_RANGE_DPS / 32768  # 0.061 deg/s per count at +-2000 deg/s


def head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    if n < 256:
        return bytes([major << 5 | 24, n])
    if n < 65536:
        return bytes([major << 5 | 25]) + struct.pack(">H", n)
    if n < 2**32:
        return bytes([major << 5 | 26]) + struct.pack(">I", n)
    return bytes([major << 5 | 27]) + struct.pack(">Q", n)


def enc(v):
    if isinstance(v, bool):
        return b"\xf5" if v else b"\xf4"
    if isinstance(v, int):
        return head(0, v) if v >= 0 else head(1, -1 - v)
    if isinstance(v, float):
        f32 = struct.unpack(">f", struct.pack(">f", v))[0]
        if f32 == v or math.isnan(v):
            return b"\xfa" + struct.pack(">f", v)
        return b"\xfb" + struct.pack(">d", v)
    if isinstance(v, str):
        b = v.encode()
        return head(3, len(b)) + b
    if isinstance(v, bytes):
        return head(2, len(v)) + v
    if isinstance(v, list):
        return head(4, len(v)) + b"".join(enc(x) for x in v)
    raise TypeError(v)


def cbor_map(pairs):
    return head(5, len(pairs)) + b"".join(enc(k) + enc(v) for k, v in pairs)


def counts(samples):
    out = bytearray()
    for s in samples:
        for k, v in enumerate(s):
            c = round(v / G / ACCEL_SCALE_G) if k < 3 else round(v / GYRO_SCALE_DPS)
            out += struct.pack("<h", max(-32768, min(32767, c)))
    return bytes(out)


def batch(rows, **override):
    pairs = [
        ("fmt", "packed16"),
        ("v", 1),
        ("seq", 1042),
        ("boot", "9f3a61c2"),
        ("t0_us", 73012000),
        ("dt_ns", 1000000),
        ("accel_scale_g", ACCEL_SCALE_G),
        ("gyro_scale_dps", GYRO_SCALE_DPS),
        ("accel_range_g", ACCEL_RANGE_G),
        ("gyro_range_dps", GYRO_RANGE_DPS),
        ("n", len(rows)),
        ("samples", counts(rows)),
    ]
    pairs = [(k, override.get(k, v)) for k, v in pairs if override.get(k, v) is not None]
    return cbor_map(pairs)


samples = json.loads((EX / "imu-1khz.json").read_text())["samples"]
(EX / "imu-1khz-packed.cbor").write_bytes(batch(samples))
bad = EX / "bad"
(bad / "imu-packed-length.cbor").write_bytes(batch(samples, samples=counts(samples)[:-2]))
(bad / "imu-packed-count.cbor").write_bytes(batch(samples, n=49))
(bad / "imu-packed-zero-scale.cbor").write_bytes(batch(samples, accel_scale_g=0.0))
(bad / "imu-packed-negative-scale.cbor").write_bytes(batch(samples, gyro_scale_dps=-0.061))
(bad / "imu-packed-nan-scale.cbor").write_bytes(batch(samples, accel_scale_g=float("nan")))
(bad / "imu-packed-missing-scale.cbor").write_bytes(batch(samples, gyro_scale_dps=None))
(bad / "imu-packed-missing-range.cbor").write_bytes(batch(samples, accel_range_g=None))
(bad / "imu-packed-missing-t0.cbor").write_bytes(batch(samples, t0_us=None))
(bad / "imu-packed-empty-batch.cbor").write_bytes(batch([], n=None))
