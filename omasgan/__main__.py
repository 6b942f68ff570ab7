"`python -m omasgan ...`: the `omasgan` command (the form `torchrun` launches: `torchrun ... -m omasgan loo ...`). Written by hand, not exported."
import os, sys
from omasgan.cli import main
from omasgan.scale import launched

if __name__ == '__main__':
    rc = main()
    if launched():   # a torchrun rank, its process group already destroyed: leave without the interpreter's teardown, where a
        sys.stdout.flush(); sys.stderr.flush()   # thread left by gloo can abort the finished process (SIGABRT, "terminate called ...")
        os._exit(rc)
    sys.exit(rc)
