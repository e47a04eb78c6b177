# From docs/exercise-double-submit.ipynb. Edit the notebook, then run `make snippets`.

