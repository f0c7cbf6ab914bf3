"""Merge zoo_parts/*.json into zoo.json and print a markdown summary table (zoo_table.md)."""
import json, os, glob
REFS = os.path.dirname(os.path.abspath(__file__))
order = ["mobilenet", "shufflenet_v1", "shufflenet_v2", "condensenet", "igcv3", "igcv1", "misc"]
allr = {}
for sec in order:
    with open(os.path.join(REFS, "zoo_parts", sec + ".json")) as f:
        allr.update(json.load(f))
with open(os.path.join(REFS, "zoo.json"), "w") as f:
    json.dump(allr, f, indent=1)
lines = ["| key | res | params | bn_params | madds | madds_no_fc | bias_adds | ReLU-type elems |", "|---|---|---|---|---|---|---|---|"]
for k, r in allr.items():
    pt = r["per_type_out_elems"]
    act = {t: v for t, v in pt.items() if t in ("ReLU", "ReLU6", "LeakyReLU")}
    lines.append("| %s | %d | %s | %s | %s | %s | %s | %s |" % (
        k, r["res"], f"{r['params']:,}", f"{r['bn_params']:,}", f"{r['madds']:,}", f"{r['madds_no_fc']:,}",
        f"{r['bias_adds']:,}", ", ".join(f"{t} {v:,}" for t, v in act.items())))
with open(os.path.join(REFS, "zoo_table.md"), "w") as f:
    f.write("\n".join(lines) + "\n")
print(len(allr), "entries")
