"""The baselines OMASGAN is compared with, one module each (`omasgan.baselines.vae`, ...), and what they share in `omasgan.baselines.core`.

Importing this package imports none of them: `import omasgan.baselines.vae` loads the VAE and the shared machinery it
needs, not the other baselines nor OMASGAN's stages. Each method class registers itself as its module is imported
(`Detector`'s `method=` keyword); `omasgan.loo.load_methods` imports them all."""
