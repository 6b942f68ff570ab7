__all__ = []

# %% ../nbs/90_cli.ipynb #bad6c372
import sys
from .cli import main
if __name__ == '__main__': sys.exit(main())

# %% ../nbs/90_cli.ipynb #bad6c372
import sys
from .cli import main
if __name__ == '__main__': sys.exit(main())

# %% ../nbs/90_cli.ipynb #bad6c372
import sys
from .cli import main
if __name__ == '__main__': sys.exit(main())

# %% ../nbs/90_cli.ipynb #bad6c372
import sys
from .cli import main
if __name__ == '__main__': sys.exit(main())

# %% ../nbs/90_cli.ipynb #bad6c372
import sys
from .cli import main
if __name__ == '__main__': sys.exit(main())

# %% ../nbs/90_cli.ipynb #bad6c372
import sys
from .cli import main
if __name__ == '__main__': sys.exit(main())

# %% ../nbs/90_cli.ipynb #bad6c372
import sys
from .cli import main
if __name__ == '__main__': sys.exit(main())

# %% ../nbs/90_cli.ipynb #bad6c372
import sys
from .cli import main
if __name__ == '__main__': sys.exit(main())

# %% ../nbs/90_cli.ipynb #782177b4
import sys
from .cli import main
if __name__ == '__main__': sys.exit(main())

# %% ../nbs/90_cli.ipynb #782177b4
import sys
from .cli import main
if __name__ == '__main__': sys.exit(main())