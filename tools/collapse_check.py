"""Does a short GAN budget collapse? The spread of generated samples, measured without labels or test data.

    python tools/collapse_check.py            # about 8 minutes on a 2-core CPU

Trains, on the normal training images of mnist5k with digit 1 left out (protocol `ganomaly`, seed 0), for the
quick budget (600 steps): AnoGAN's log-loss DCGAN with Adam betas (0.5, 0.999), the same with spectral
normalisation in D, the same with betas (0, 0.999); EGBAD's BiGAN with both betas; OMASGAN's stage-1 GAN.
Prints, for each, the per-pixel standard deviation across 256 samples of G (eval mode): a collapsed generator
draws the same image every time and scores near 0; the training images score about 0.30.
"""
import torch
from omasgan.core import seed_everything
from omasgan.data import mnist5k, loo_split
from omasgan.nets import make_nets, sample_z
from omasgan.config import make_config
from omasgan.loop import train
from omasgan.gan import train_gan
from omasgan.baselines.anogan import dcgan_stage, AnoGANConfig
from omasgan.baselines.egbad import EGBAD

def spread(G)->float:
    G.eval()
    with torch.no_grad(): return G(sample_z(256, G.z_dim)).std(0).mean().item()

def dcgan(x, betas, sn=False)->float:
    seed_everything(0)
    G, D = make_nets((1, 32, 32), 64, 32, sn)
    train(dcgan_stage(x, dict(G=G, D=D), AnoGANConfig(betas=betas)), progress=False)
    return spread(G)

def egbad(split, betas)->float:
    return spread(EGBAD(progress=False, betas=betas).fit(split).nets['G'])

if __name__ == '__main__':
    sp = loo_split(mnist5k(), 1, 'ganomaly', seed=0)
    print(f"training images: {sp.train.std(0).mean().item():.3f}")
    print(f"DCGAN (AnoGAN), betas (0.5, 0.999): {dcgan(sp.train, (0.5, 0.999)):.3f}")
    print(f"DCGAN (AnoGAN), betas (0.5, 0.999), spectral norm in D: {dcgan(sp.train, (0.5, 0.999), sn=True):.3f}")
    print(f"DCGAN (AnoGAN), betas (0, 0.999): {dcgan(sp.train, (0., 0.999)):.3f}")
    print(f"BiGAN (EGBAD), betas (0.5, 0.999): {egbad(sp, (0.5, 0.999)):.3f}")
    print(f"BiGAN (EGBAD), betas (0, 0.999): {egbad(sp, (0., 0.999)):.3f}")
    seed_everything(0)
    print(f"OMASGAN stage 1 (KL-WGAN), betas (0, 0.999): {spread(train_gan(sp.train, make_config('quick'), progress=False)[0]):.3f}")
