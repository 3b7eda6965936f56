"""site_gen: a static job-board generator.

The site is a pipeline of plain data (see ``pipeline.build_site``)::

    content/*.md -load-> SourceFile -validate-> Posting -enrich-> Site
      -render/emit-> [Output(path, text)] -write-> output folder
"""

__version__ = "0.1.0"
