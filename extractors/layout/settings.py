"""Every tolerance the layout readers use, in one frozen dataclass, each with the measurement that chose it.

A family that needs another value passes `dataclasses.replace(DEFAULT, name=value)` (its spec says
why); it never copies a reader to change a number. Sizes are font sizes of the words concerned unless
a comment says otherwise; "the samples" are the synthetic PDFs in tests/pdfs and raw_pdfs, "the
variants" those tests/variants and tests/unhcr_variants.py draw.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class LayoutSettings:
    """The layout tolerances; see each field's comment for the measurement behind its default."""

    # --- Headline figures and their labels -------------------------------------------------------------
    #: A headline figure is printed at least this many times the median word size around it. DTM headline
    #: figures are 20-26 pt on pages whose median is 6-7.5 pt (ratio >= 2.6); the 10 pt "83% male" of the
    #: 2023 layout is prose (ratio 1.4) and the 16 pt "80% Male" of the 2024 layout a figure (ratio 2.2).
    #: UNHCR key figures are 22 pt in blocks of 7-8 pt and its family passes 1.6.
    figure_size_ratio: float = 1.8
    #: A lone sign printed before a figure ("- 33%") belongs to it when the gap is at most this times the size.
    sign_gap_ratio: float = 1.2
    #: A figure's label (beside or under it) reaches at most this many times the figure's size below it.
    label_depth_ratio: float = 2.0
    #: Consecutive label lines are at most this many times their font size apart (blank space ends a label).
    label_line_gap_ratio: float = 1.2
    #: A figure sits beside its label or at most this many label heights under it (UNHCR's UASC figure).
    figure_below_label_reach: float = 4.0
    #: Two printed things are paired only when the nearest candidate is at least this many times closer than the
    #: next one; otherwise the pairing is a guess (the samples' UASC figure is 3+ times closer than anything else).
    pair_ambiguity_ratio: float = 1.5

    # --- Lines, segments and baselines ---------------------------------------------------------------------
    #: Words whose tops differ by at most this many times their size share a baseline.
    baseline_ratio: float = 0.3
    #: A gap wider than this many font sizes splits a printed line into separate segments: in the
    #: samples words of one phrase sit 0.2-0.4 sizes apart and neighbouring columns 2+ sizes apart.
    segment_gap_ratio: float = 1.5
    #: Two words share a line when their boxes overlap vertically by at least this fraction of the
    #: smaller height (words of one line overlap fully; a bar label beside a row label only ~40 %).
    line_overlap_ratio: float = 0.6
    #: Words of one segment are at most this many times larger than one another: a 22 pt headline figure
    #: printed just right of a 10 pt heading is no word of it (the samples' asylum line mixes 7 and 10 pt).
    segment_size_ratio: float = 1.8

    # --- Headings ------------------------------------------------------------------------------------------
    #: A heading set in capitals has at least this share of its letters upper-case (leaving room for "km²").
    uppercase_share: float = 0.8
    #: A heading that does not match its pattern exactly is found by its words: the words it shares, in order,
    #: with one of its wordings must be at least this share of both together (2 * shared / (heading + printed),
    #: months, years and footnote marks left out), and more than any other heading's. Measured on 51,000
    #: one-word rewordings of the 17 DTM headings (a word added, dropped or a synonym; tests/variants/dtm.py):
    #: the right heading scores 0.667 at least and is always the unique best, by 0.154 at least; one word added
    #: to a one-word heading scores 0.667, an unknown synonym in three words 0.667. Two headings of the layouts
    #: score up to 0.833 against each other (VOLUNTARY / NON-VOLUNTARY RETURNS ...): the best one is taken, and
    #: a tie is no heading (it still ends the section above it).
    heading_match_share: float = 0.6
    #: ... and it is printed at least this many times the page's median size: the samples' section headings are
    #: 1.30-2.06 times it (9.5-15 pt), headline captions and table headers at most 1.15, country labels 1.29.
    #: The one heading printed smaller (DTM 2024's 8 pt "ASSISTED VOLUNTARY RETURN ...") is found by its pattern.
    heading_size_ratio: float = 1.2
    #: A heading wraps over at most this many lines, left-aligned, each at most `heading_line_gap_ratio`
    #: sizes below the last.
    heading_max_lines: int = 3
    heading_line_gap_ratio: float = 0.8
    #: A bold heading is at least this many times the upper-quartile size of the page's regular
    #: (non-bold) words: that quartile is 7.0-8.2 pt on every UNHCR sample page, UNHCR headings are
    #: 9.5-12 pt, bold table headers and bold figures in running text are at body size (8-8.2 pt).
    bold_heading_size_ratio: float = 1.15
    #: Two heading segments closer than this many font sizes (top to previous bottom) are one wrapped heading.
    heading_wrap_gap_ratio: float = 0.6
    #: Share of an anchor's words a printed heading may lack (floor: 1 of 4-7 words, 2 of 8-11, none of 1-3).
    #: Measured on the 3 samples, the 24 variants and a 120-issue drifted batch (tests/open_world): a heading
    #: reworded by one word lacks at most 1 of its anchor's words; the closest *other* heading of the same
    #: layout lacks 3 of 4 words or more ("New arrivals by country" vs the nationalities heading).
    heading_missing_share: float = 0.25
    #: Words a printed heading may have that its anchor does not (a word added, a synonym, a place name):
    #: the samples' headings have none, a reworded one 1; the banner line "Refugees, asylum-seekers and other
    #: people in mixed movements" has 7 more than the anchor "mixed movements" and is no heading of it.
    heading_extra_words: int = 3

    # --- Blocks under headings -----------------------------------------------------------------------------
    #: Horizontal slack, in points, when deciding whether two blocks share a column edge (absorbs jitter).
    column_slack: float = 8.0
    #: A column to the right bounds a block when at least this many of the block's lines start where
    #: that column's heading starts (one figure of a centred table column may start there by chance).
    column_line_starts: int = 2

    # --- Month axes and chart data labels ------------------------------------------------------------------
    #: A month axis has at least this many month labels on one line.
    min_axis_labels: int = 6
    #: A chart data label belongs to the month under it only if their centres are within this fraction of the
    #: months' pitch. Labels are centred on their bars: 0.000003 pitch off at worst over 4 samples and 112 variants.
    chart_match_ratio: float = 0.25

    # --- Table headers ------------------------------------------------------------------------------------
    #: Header stacks further apart than this many font sizes are never one cell (two words of one label are
    #: a word space apart, 0.2-0.5 sizes with letter spacing; neighbouring cells of the samples 1.1+).
    join_gap_ratio: float = 1.0
    #: At most this many header stacks are joined to recognise one column label ("Kosovo (UNSCR 1244)").
    max_label_parts: int = 6
    #: Words of one header cell on one line are at most this many sizes apart (a space, even with
    #: 0.8 pt tracking, is under 0.45 sizes; neighbouring header cells are 1+ sizes apart).
    header_word_gap_ratio: float = 0.8
    #: Header cells of a word table sit within this many row pitches above its first row (wrapped
    #: two-line headers included; the prose above the UNHCR v2023 tables sits 2.5+ pitches higher).
    header_reach: float = 1.8
    #: Column starts of a grid with a header may sit this many font sizes left of their header word.
    header_start_tolerance: float = 0.6

    # --- Table rows -----------------------------------------------------------------------------------------
    #: Row labels end half a column pitch left of the first column's centre.
    column_match_ratio: float = 0.5
    #: A table figure belongs to the nearest column only if their centres are within this fraction of the pitch:
    #: 0.04 at worst in the samples and variants; right-aligned figures under centred headers stay well inside.
    cell_match_ratio: float = 0.4
    #: A table ends at a vertical gap larger than this many times the font size after its last row.
    #: Rows in the samples are 0.6-1.8 size apart; the prose under the monthly table is 3.7 sizes below it.
    table_row_gap_ratio: float = 3.0
    #: A vertical gap larger than this many times the font size separates two rows of a text grid; lines of
    #: one wrapped cell are 0.3-0.4 size apart, rows of the nationality grids 2.4-3.5.
    grid_row_gap_ratio: float = 1.0
    #: Wrapped lines of one label are at most this many font sizes apart (top to previous bottom).
    label_wrap_gap_ratio: float = 0.8
    #: How far from its row label (in row pitches) a value may sit and still belong to that row.
    row_reach: float = 0.75

    # --- Names ----------------------------------------------------------------------------------------------
    #: Fewer letters than this is a stray word ("in"), not a nationality's name (the shortest, "Iraq" and
    #: "Chad", have 4), unless the aliases name it: "UK", "DRC", "oPt" are printed as such.
    min_name_letters: int = 4


#: The tolerances every reader uses unless its family passes others.
DEFAULT = LayoutSettings()
