/**
 * LiDAR scans as plain Java arrays, before they become Avro {@code SensorFrame}s: no Kafka, Flink or
 * Avro here.
 *
 * <ul>
 *   <li>{@link io.minkstream.jobs.sensor.ScanFrame}: one sweep (points, intensity, pose, motion labels).
 *   <li>{@link io.minkstream.jobs.sensor.StreetSceneSimulator} with
 *       {@link io.minkstream.jobs.sensor.SimulatorOptions}: a ray-cast rotating LiDAR in a street with
 *       moving cars and pedestrians, deterministic per (seed, sensor id, sequence).
 *   <li>{@link io.minkstream.jobs.sensor.RecordedScanSource}: recordings on disk, as
 *       {@link io.minkstream.jobs.sensor.KittiSequence} (KITTI odometry / SemanticKITTI layout) and
 *       {@link io.minkstream.jobs.sensor.PcdSequence} (a folder of .pcd files). Malformed files fail with
 *       {@link io.minkstream.jobs.sensor.ScanFormatException}, which names the file.
 * </ul>
 *
 * <p>Package-private machinery: the scene layout ({@code StreetScene}), the ray pattern
 * ({@code ScanPattern}), the culled ray caster ({@code SceneRayCaster}), the PCD parser ({@code PcdFile}).
 */
package io.minkstream.jobs.sensor;
