"`python -m omasgan ...`: the `omasgan` command (the form `torchrun` launches: `torchrun ... -m omasgan loo ...`). Written by hand, not exported."
import sys
from omasgan.cli import main

if __name__ == '__main__': sys.exit(main())
