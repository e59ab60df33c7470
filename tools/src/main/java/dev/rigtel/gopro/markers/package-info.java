/**
 * Cut markers per camera clip from the camera's own gyro: {@link dev.rigtel.gopro.markers.ClipMarkers}
 * finds the head turns and whip pans of a {@link dev.rigtel.gopro.clip.ClipTelemetry} with the
 * collector's motion analysis and places them in the clip's source timecode; {@link
 * dev.rigtel.gopro.markers.ClipExports} writes them in editors' marker formats; {@link
 * dev.rigtel.gopro.markers.MarkersMain} is {@code ./rigtel markers}.
 */
package dev.rigtel.gopro.markers;
