"""From runs to what a reader sees: the tables and the replication report (`report`), the pages of the HTML report
(`html`) and the cost summary (`costs`). Draws no figure itself (that is `plots`)."""
