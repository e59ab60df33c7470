/**
 * Hands head-turn cut candidates to editorial in the marker formats editors import (DOMAIN.md
 * section 5): CMX3600 EDL with Avid {@code * LOC:} comments, DaVinci Resolve marker EDL, FCPXML
 * 1.9 markers, Avid Media Composer locator text and RFC 4180 CSV.
 *
 * <p>Plain Java: no Netty, no Jackson, no I/O. Every export is a {@code String}; callers write it
 * as UTF-8 and label it with {@link dev.rigtel.collector.motion.export.CutCandidateExports.Format}.
 */
package dev.rigtel.collector.motion.export;
