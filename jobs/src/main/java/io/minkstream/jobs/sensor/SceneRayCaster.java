package io.minkstream.jobs.sensor;

/**
 * Casts every ray of a {@link ScanPattern} from one origin against the ground plane z = 0 and a set of
 * axis-aligned boxes, and keeps the nearest hit per ray.
 *
 * <p>Culling: the boxes are first moved into origin-relative coordinates, dropped when their footprint
 * lies beyond the maximum range, and binned into azimuth sectors by the angular interval their footprint
 * covers. Inside a sector the boxes are sorted by the horizontal distance of their footprint, which is a
 * lower bound of any hit's range (times 1 / cos elevation), so a ray stops at the first box that cannot
 * beat its current hit. A 32 x 1024 scan then tests a handful of boxes per ray.
 *
 * <p>Stateless and thread-safe: each call allocates its few kilobytes of culling arrays; the per-ray loop
 * allocates nothing.
 */
final class SceneRayCaster {

    /** Hit axis code for a hit on a box face normal to x, y or z; ground hits use {@link #AXIS_Z}. */
    static final byte AXIS_X = 0;
    static final byte AXIS_Y = 1;
    static final byte AXIS_Z = 2;

    private static final double TWO_PI = 2 * Math.PI;
    /** Widening of each box's angular interval, radians, against rounding in atan2. */
    private static final double ANGLE_MARGIN = 1e-4;

    private final ScanPattern pattern;
    private final int sectors;

    ScanPattern pattern() {
        return pattern;
    }

    SceneRayCaster(ScanPattern pattern) {
        this.pattern = pattern;
        this.sectors = Math.min(pattern.azimuthSteps, 256);
    }

    /**
     * Casts all rays from (ox, oy, oz), where oz > 0 is the height above the ground. For ray r, writes the
     * range of the nearest hit within {@code maxRange} to {@code range[r]} (NaN when there is none), the
     * material code to {@code material[r]} ({@link SurfaceMaterial#GROUND} for the ground plane) and the
     * axis of the hit surface's normal to {@code axis[r]}.
     */
    void cast(float[] boxes, byte[] boxMaterials, int boxCount, float ox, float oy, float oz, float maxRange,
            float[] range, byte[] material, byte[] axis) {
        SectorBins bins = bin(boxes, boxMaterials, boxCount, ox, oy, oz, maxRange);
        int beams = pattern.beams;
        int azimuthSteps = pattern.azimuthSteps;
        float[] groundRange = new float[beams];
        for (int b = 0; b < beams; b++) {
            float sin = pattern.sinElevation[b];
            groundRange[b] = sin < 0 ? -oz / sin : Float.POSITIVE_INFINITY;
        }
        byte ground = SurfaceMaterial.GROUND.code();
        byte none = SurfaceMaterial.NONE.code();
        float[] cand = bins.boxes;
        float[] near = bins.nearDistance;
        byte[] candMaterial = bins.materials;
        for (int j = 0; j < azimuthSteps; j++) {
            int sector = (int) ((long) j * sectors / azimuthSteps);
            int begin = bins.start[sector];
            int end = bins.start[sector + 1];
            for (int b = 0; b < beams; b++) {
                int ray = j * beams + b;
                float ix = pattern.invX[ray];
                float iy = pattern.invY[ray];
                float iz = pattern.invZ[ray];
                float invCos = pattern.invCosElevation[b];
                float best = maxRange;
                byte hitMaterial = none;
                byte hitAxis = AXIS_Z;
                if (groundRange[b] <= best) {
                    best = groundRange[b];
                    hitMaterial = ground;
                }
                for (int c = begin; c < end; c++) {
                    if (near[c] * invCos >= best) {
                        break;
                    }
                    int o = 6 * c;
                    float tx0 = cand[o] * ix;
                    float tx1 = cand[o + 3] * ix;
                    float ty0 = cand[o + 1] * iy;
                    float ty1 = cand[o + 4] * iy;
                    float tz0 = cand[o + 2] * iz;
                    float tz1 = cand[o + 5] * iz;
                    float nx = Math.min(tx0, tx1);
                    float ny = Math.min(ty0, ty1);
                    float nz = Math.min(tz0, tz1);
                    float tNear = Math.max(nx, Math.max(ny, nz));
                    float tFar = Math.min(Math.max(tx0, tx1), Math.min(Math.max(ty0, ty1), Math.max(tz0, tz1)));
                    if (tNear <= tFar && tNear > 0 && tNear < best) {
                        best = tNear;
                        hitMaterial = candMaterial[c];
                        hitAxis = tNear == nx ? AXIS_X : tNear == ny ? AXIS_Y : AXIS_Z;
                    }
                }
                range[ray] = hitMaterial == none ? Float.NaN : best;
                material[ray] = hitMaterial;
                axis[ray] = hitAxis;
            }
        }
    }

    /** Boxes in origin-relative coordinates, grouped by sector (CSR) and sorted by near distance. */
    private static final class SectorBins {
        int[] start;
        float[] boxes;
        float[] nearDistance;
        byte[] materials;
    }

    private SectorBins bin(float[] boxes, byte[] boxMaterials, int boxCount, float ox, float oy, float oz,
            float maxRange) {
        float[] rel = new float[6 * boxCount];
        float[] near = new float[boxCount];
        int[] firstSector = new int[boxCount];
        int[] sectorSpan = new int[boxCount];
        int[] count = new int[sectors + 1];
        for (int i = 0; i < boxCount; i++) {
            int o = 6 * i;
            float x0 = boxes[o] - ox;
            float y0 = boxes[o + 1] - oy;
            float z0 = boxes[o + 2] - oz;
            float x1 = boxes[o + 3] - ox;
            float y1 = boxes[o + 4] - oy;
            float z1 = boxes[o + 5] - oz;
            rel[o] = x0;
            rel[o + 1] = y0;
            rel[o + 2] = z0;
            rel[o + 3] = x1;
            rel[o + 4] = y1;
            rel[o + 5] = z1;
            float dx = Math.max(0, Math.max(x0, -x1));
            float dy = Math.max(0, Math.max(y0, -y1));
            near[i] = (float) Math.sqrt(dx * dx + dy * dy);
            boolean containsOrigin = dx == 0 && dy == 0 && z0 < 0 && z1 > 0;
            if (near[i] >= maxRange || containsOrigin) {
                sectorSpan[i] = 0;
                continue;
            }
            if (dx == 0 && dy == 0) {
                firstSector[i] = 0;
                sectorSpan[i] = sectors;
            } else {
                angularSectors(x0, y0, x1, y1, firstSector, sectorSpan, i);
            }
            for (int k = 0; k < sectorSpan[i]; k++) {
                count[(firstSector[i] + k) % sectors + 1]++;
            }
        }
        int[] start = new int[sectors + 1];
        for (int s = 0; s < sectors; s++) {
            start[s + 1] = start[s] + count[s + 1];
        }
        int total = start[sectors];
        SectorBins bins = new SectorBins();
        bins.start = start;
        bins.boxes = new float[6 * total];
        bins.nearDistance = new float[total];
        bins.materials = new byte[total];
        int[] fill = java.util.Arrays.copyOf(start, sectors);
        for (int i = 0; i < boxCount; i++) {
            for (int k = 0; k < sectorSpan[i]; k++) {
                int s = (firstSector[i] + k) % sectors;
                insertSorted(bins, start[s], fill[s]++, rel, near[i], boxMaterials[i], i);
            }
        }
        return bins;
    }

    /** Sectors touched by the angular interval of footprint [x0, x1] x [y0, y1], which excludes the origin. */
    private void angularSectors(float x0, float y0, float x1, float y1, int[] firstSector, int[] sectorSpan, int i) {
        // The footprint lies in a half-plane away from the origin, so its corners span less than pi and
        // their angles relative to one corner need no further unwrapping.
        double reference = Math.atan2(y0, x0);
        double lo = 0;
        double hi = 0;
        for (int corner = 1; corner < 4; corner++) {
            double cx = (corner & 1) == 0 ? x0 : x1;
            double cy = (corner & 2) == 0 ? y0 : y1;
            double delta = Math.atan2(cy, cx) - reference;
            if (delta > Math.PI) {
                delta -= TWO_PI;
            } else if (delta < -Math.PI) {
                delta += TWO_PI;
            }
            lo = Math.min(lo, delta);
            hi = Math.max(hi, delta);
        }
        long s0 = (long) Math.floor((reference + lo - ANGLE_MARGIN) * sectors / TWO_PI);
        long s1 = (long) Math.floor((reference + hi + ANGLE_MARGIN) * sectors / TWO_PI);
        int span = (int) Math.min(sectors, s1 - s0 + 1);
        firstSector[i] = (int) Math.floorMod(s0, (long) sectors);
        sectorSpan[i] = span;
    }

    /** Insertion into a sector's slice [from, to] keeping it sorted by near distance. */
    private static void insertSorted(SectorBins bins, int from, int to, float[] rel, float near, byte material,
            int box) {
        int slot = to;
        while (slot > from && bins.nearDistance[slot - 1] > near) {
            bins.nearDistance[slot] = bins.nearDistance[slot - 1];
            bins.materials[slot] = bins.materials[slot - 1];
            System.arraycopy(bins.boxes, 6 * (slot - 1), bins.boxes, 6 * slot, 6);
            slot--;
        }
        bins.nearDistance[slot] = near;
        bins.materials[slot] = material;
        System.arraycopy(rel, 6 * box, bins.boxes, 6 * slot, 6);
    }
}
