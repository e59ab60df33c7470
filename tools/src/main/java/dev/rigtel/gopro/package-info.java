/**
 * Reading GoPro telemetry from the camera's own files, in plain Java (no Netty, no InfluxDB).
 *
 * <ul>
 *   <li>{@code gopro.mp4}: the few ISO BMFF (MP4/MOV) boxes that locate the GPMF track, the {@code tmcd}
 *       start timecode and the camera's identity, read with positional reads; the video in {@code
 *       mdat} is never read.
 *   <li>{@code gopro.gpmf}: the GPMF KLV decoder (type codes, nesting, {@code SCAL}, {@code
 *       ORIN}/{@code ORIO}/{@code MTRX}, {@code TSMP}/{@code STMP}), after GoPro's reference parser
 *       {@code gopro/gpmf-parser}.
 *   <li>{@code gopro.clip}: a clip (one recording, possibly several chapter files) as {@link
 *       dev.rigtel.gopro.clip.ClipTelemetry}: per-sample times from the first video frame, sample
 *       rates as the reference parser regresses them, and the clip's source timecode.
 * </ul>
 *
 * Entry points: {@link dev.rigtel.gopro.clip.GoproFiles#clips} groups a card's files into clips and
 * {@link dev.rigtel.gopro.clip.GoproReader} reads one clip.
 */
package dev.rigtel.gopro;
