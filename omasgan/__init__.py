__version__ = "0.1.0"

def __getattr__(name):
    "`omasgan.OMASGAN` is imported on first use, so that `import omasgan.baselines.vae` (or any other module) loads only what it needs."
    if name == 'OMASGAN':
        from .detector import OMASGAN
        return OMASGAN
    raise AttributeError(f"module 'omasgan' has no attribute {name!r}")

__all__ = ['OMASGAN']
