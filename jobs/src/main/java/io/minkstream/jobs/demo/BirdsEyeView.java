package io.minkstream.jobs.demo;

import io.minkstream.schemas.PackedInts;
import io.minkstream.schemas.SparseFeatureFrame;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A bird's-eye PNG of one sensor's last window, looking down the z axis (x to the right, y up): the
 * newest frame's voxels grey (brighter = higher) or red where the model labelled them moving,
 * ground-truth moving voxels outlined in green, the window's older frames faint underneath (so moving
 * things leave a trail), and a scale bar. Needs no display ({@code java.awt.headless}).
 */
public final class BirdsEyeView {
    static final Color BACKGROUND = new Color(16, 16, 20);
    static final Color OLDER_FRAMES = new Color(52, 52, 60);
    static final Color MOVING = new Color(235, 40, 40);
    static final Color TRUTH_OUTLINE = new Color(60, 230, 90);
    static final Color TEXT = new Color(235, 235, 235);
    private static final int GREY_LOW = 110;
    private static final int GREY_HIGH = 225;
    /** Longest side of the map in pixels (before the legend strip). */
    private static final int MAX_SIDE = 1600;
    private static final int MAX_PIXELS_PER_CELL = 6;
    private static final int LEGEND_HEIGHT = 46;

    private static final byte EMPTY = 0;
    private static final byte OLDER = 1;
    private static final byte STATIC = 2;
    private static final byte MOVING_CELL = 3;

    private BirdsEyeView() {
    }

    /** Draws {@code window} (one sensor's outputs, oldest first, newest last) into a PNG at {@code file}. */
    public static Path write(List<SparseFeatureFrame> window, Path file) throws IOException {
        if (window.isEmpty()) throw new IllegalArgumentException("no outputs to draw for " + file);
        BufferedImage image = render(window);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        if (!ImageIO.write(image, "png", file.toFile())) throw new IOException("no PNG writer for " + file);
        return file;
    }

    static BufferedImage render(List<SparseFeatureFrame> window) {
        SparseFeatureFrame newest = window.get(window.size() - 1);
        int[][] coords = new int[window.size()][];
        int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, maxX = Integer.MIN_VALUE, maxY = Integer.MIN_VALUE;
        for (int f = 0; f < window.size(); f++) {
            SparseFeatureFrame o = window.get(f);
            coords[f] = PackedInts.decode(o.getCoordinates(), "coordinates", 4L * o.getRowCount());
            for (int i = 0; i < coords[f].length; i += 4) {
                minX = Math.min(minX, coords[f][i]);
                maxX = Math.max(maxX, coords[f][i]);
                minY = Math.min(minY, coords[f][i + 1]);
                maxY = Math.max(maxY, coords[f][i + 1]);
            }
        }
        if (minX > maxX) {
            minX = maxX = minY = maxY = 0;
        }
        // Cells are voxels, or blocks of voxels when the crop box is too large for one pixel each.
        int extent = Math.max(maxX - minX, maxY - minY) + 1;
        int cellDiv = Math.max(Math.max(1, newest.getTensorStride()), (int) Math.ceil(extent / (double) MAX_SIDE));
        int cols = (maxX - minX) / cellDiv + 1;
        int rows = (maxY - minY) / cellDiv + 1;
        int scale = Math.max(1, Math.min(MAX_PIXELS_PER_CELL, MAX_SIDE / Math.max(cols, rows)));

        byte[] layer = new byte[cols * rows];
        int[] topZ = new int[cols * rows];
        boolean[] truth = new boolean[cols * rows];
        for (int f = 0; f < window.size() - 1; f++) {
            for (int i = 0; i < coords[f].length; i += 4) layer[cell(coords[f], i, minX, maxY, cellDiv, cols)] = OLDER;
        }
        int[] c = coords[window.size() - 1];
        int n = newest.getRowCount();
        int[] labels = newest.getLabels() == null ? null : PackedInts.decode(newest.getLabels(), "labels", n);
        int[] truthLabels = newest.getTruthLabels() == null ? null : PackedInts.decode(newest.getTruthLabels(), "truthLabels", n);
        int zLow = Integer.MAX_VALUE, zHigh = Integer.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            int k = cell(c, 4 * i, minX, maxY, cellDiv, cols);
            int z = c[4 * i + 2];
            boolean moving = labels != null && labels[i] != 0;
            if (layer[k] < STATIC) {
                layer[k] = STATIC;
                topZ[k] = z;
            } else {
                topZ[k] = Math.max(topZ[k], z);
            }
            if (moving) layer[k] = MOVING_CELL;
            if (truthLabels != null && truthLabels[i] != 0) truth[k] = true;
            zLow = Math.min(zLow, z);
            zHigh = Math.max(zHigh, z);
        }

        int width = cols * scale;
        int height = rows * scale;
        BufferedImage image = new BufferedImage(Math.max(width, 360), height + LEGEND_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        for (int k = 0; k < layer.length; k++) {
            Color color = switch (layer[k]) {
                case OLDER -> OLDER_FRAMES;
                case STATIC -> grey(topZ[k], zLow, zHigh);
                case MOVING_CELL -> MOVING;
                default -> null;
            };
            if (color != null) fill(g, color, k, cols, scale);
        }
        // The truth outline: cells next to a ground-truth moving cell that are not one themselves.
        for (int k = 0; k < truth.length; k++) {
            if (!truth[k] && touches(truth, k, cols, rows)) fill(g, TRUTH_OUTLINE, k, cols, scale);
        }
        double metresPerPixel = newest.getVoxelSizeX() * cellDiv / scale;
        legend(g, image.getWidth(), height, metresPerPixel, newest);
        g.dispose();
        return image;
    }

    private static int cell(int[] coords, int i, int minX, int maxY, int cellDiv, int cols) {
        int col = (coords[i] - minX) / cellDiv;
        int row = (maxY - coords[i + 1]) / cellDiv;
        return row * cols + col;
    }

    private static Color grey(int z, int zLow, int zHigh) {
        double t = zHigh > zLow ? (z - zLow) / (double) (zHigh - zLow) : 0.5;
        int v = (int) Math.round(GREY_LOW + t * (GREY_HIGH - GREY_LOW));
        return new Color(v, v, v);
    }

    private static void fill(Graphics2D g, Color color, int k, int cols, int scale) {
        g.setColor(color);
        g.fillRect((k % cols) * scale, (k / cols) * scale, scale, scale);
    }

    private static boolean touches(boolean[] mask, int k, int cols, int rows) {
        int col = k % cols;
        int row = k / cols;
        for (int dr = -1; dr <= 1; dr++) {
            for (int dc = -1; dc <= 1; dc++) {
                int r = row + dr;
                int cc = col + dc;
                if ((dr != 0 || dc != 0) && r >= 0 && r < rows && cc >= 0 && cc < cols && mask[r * cols + cc]) return true;
            }
        }
        return false;
    }

    /** A scale bar of a round length near a fifth of the width, and a caption when fonts are available. */
    private static void legend(Graphics2D g, int width, int top, double metresPerPixel, SparseFeatureFrame newest) {
        double[] lengths = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
        double metres = lengths[0];
        for (double m : lengths) {
            if (m / metresPerPixel <= width * 0.2) metres = m;
        }
        int bar = (int) Math.round(metres / metresPerPixel);
        int x0 = 10;
        int y0 = top + 12;
        g.setColor(TEXT);
        g.fillRect(x0, y0, bar, 4);
        g.fillRect(x0, y0 - 4, 2, 12);
        g.fillRect(x0 + bar - 2, y0 - 4, 2, 12);
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString((int) metres + " m", x0 + bar + 8, y0 + 6);
            g.drawString(newest.getSensorId() + " #" + newest.getSequence() + ", window of " + newest.getFramesInWindow()
                    + " frames: grey static, red labelled moving, green outline moving (ground truth), dark older frames", x0, top + 36);
        } catch (RuntimeException | LinkageError | InternalError noFonts) {
            // A JRE without fonts draws no text; the picture and the scale bar stay.
            g.setStroke(new BasicStroke(1));
        }
    }
}
