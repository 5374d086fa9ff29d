"""An example boilerclean rule pack: ``print_page`` and ``reading_time``.

Install it next to boilerclean and its rules run in every ``clean`` run (``clean --list-rules``
shows them); see ``README.md`` for how it was made and tested.
"""
