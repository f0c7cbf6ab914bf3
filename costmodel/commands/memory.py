"""costmodel memory SPEC: peak activation memory of a sequential run, and where it peaks."""
from __future__ import annotations

import json

from costmodel.commands import _options as opt

NAME = "memory"
HELP = ("peak activation memory: largest sum of live feature maps during sequential "
        "execution (and with MobileNetV2's channel-streamed schedule)")
ORDER = 42


def add_arguments(p) -> None:
    p.add_argument("spec", help="network spec (YAML)")
    opt.add_set(p)
    opt.add_dtype(p)
    p.add_argument("--batch", type=int, default=1, metavar="N", help="images (default 1)")
    p.add_argument("--inplace", action="store_true",
                   help="activations overwrite their input when it has no other reader")
    p.add_argument("--format", choices=("text", "json"), default="text")


def run(args, out) -> int:
    from costmodel import memory
    from costmodel.analysis import analyse, load_spec
    from costmodel.cost import DTYPE_BYTES
    a = analyse(load_spec(args.spec), opt.parse_sets(args.set))
    size = DTYPE_BYTES[args.dtype]
    plain = memory.peak(a, size, args.batch, inplace=args.inplace)
    streamed = memory.peak(a, size, args.batch, inplace=args.inplace, streamed=True)
    if args.format == "json":
        json.dump({"name": a.graph.network.name, "spec": args.spec, "dtype": args.dtype,
                   "batch": args.batch, "inplace": args.inplace,
                   "sequential": _doc(plain), "streamed": _doc(streamed)}, out, indent=1)
        out.write("\n")
        return 0
    out.write(f"{a.graph.network.name} — {args.spec}\n"
              f"{args.dtype} ({size} bytes/element), batch {args.batch}"
              f"{', in-place activations' if args.inplace else ''}; BN folded into its conv\n\n")
    _text("sequential (every layer output materialised)", plain, out)
    _text("channel-streamed (MobileNetV2 Sec. 5: conv -> per-channel ops -> conv chains run in "
          "channel chunks)", streamed, out)
    return 0


def _doc(p) -> dict:
    return {"peak_bytes": p.bytes, "peak_at": p.path, "live": [
        {"tensor": path, "bytes": b} for path, b in p.live],
        "largest_tensor_bytes": p.largest_tensor_bytes, "largest_tensor": p.largest_tensor_path}


def _text(title: str, p, out) -> None:
    out.write(f"{title}\n  peak {p.bytes:,} bytes ({p.bytes / 1e3:,.1f} kB) while running "
              f"{p.path}; live tensors:\n")
    for path, b in p.live:
        out.write(f"    {path:<40} {b:>14,}\n")
    out.write(f"  largest single tensor: {p.largest_tensor_bytes:,} bytes "
              f"({p.largest_tensor_path})\n\n")
