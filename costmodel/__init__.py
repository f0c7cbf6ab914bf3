"""costmodel: exact, symbolic cost of convolutional networks from paper-style YAML specs.

    from costmodel import load_spec, analyse
    a = analyse(load_spec("specs/mobilenet_v2.yaml"))
    a.totals.params, a.totals.madds, a.totals.mem_access
"""
from costmodel.errors import CostModelError, SpecError, SpecErrors, UsageError

__all__ = ["load_spec", "load_text", "analyse", "CostModelError", "SpecError", "SpecErrors",
           "UsageError"]
__version__ = "0.1.0"


def __getattr__(name):   # lazy: `import costmodel` stays cheap
    if name in ("load_spec", "load_text", "analyse"):
        from costmodel import analysis
        return getattr(analysis, name)
    raise AttributeError(name)
