package io.fidelis.cards.adapter.in.web;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Google Wallet's program logo is square (660 × 660 pixels is what it asks for) where Apple's is a
 * wide strip (320 × 100): the square one is drawn from the program's logo, centred on the card's
 * background colour, once per logo and colour.
 */
final class SquareLogos {

	static final int SIDE = 660;
	/** A logo is drawn within this share of the square, as Google's guidelines leave a margin. */
	private static final double INSIDE = 0.8;
	/** Larger pictures are not decoded: 512 KiB of PNG can still say 20,000 × 20,000 pixels. */
	private static final int MOST_PIXELS = 4_096;

	private final Map<String, byte[]> drawn = new LinkedHashMap<>(16, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
			return size() > 64;
		}
	};

	/** The square logo for {@code logo} (PNG) on {@code backgroundColor} (#RRGGBB); {@code fallback} when it cannot be read. */
	synchronized byte[] square(byte[] logo, String backgroundColor, byte[] fallback) {
		String key = backgroundColor + "|" + java.util.Arrays.hashCode(logo) + "|" + logo.length;
		byte[] known = drawn.get(key);
		if (known == null) {
			BufferedImage source = readBounded(logo);
			if (source == null && fallback != logo) {
				return square(fallback, backgroundColor, fallback);
			}
			known = draw(source, Color.decode(backgroundColor));
			drawn.put(key, known);
		}
		return known;
	}

	private static BufferedImage readBounded(byte[] png) {
		try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
			Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
			if (!readers.hasNext()) {
				return null;
			}
			ImageReader reader = readers.next();
			try {
				reader.setInput(in);
				if (reader.getWidth(0) > MOST_PIXELS || reader.getHeight(0) > MOST_PIXELS) {
					return null;
				}
				return reader.read(0);
			}
			finally {
				reader.dispose();
			}
		}
		catch (IOException | RuntimeException e) {
			return null;
		}
	}

	private static byte[] draw(BufferedImage logo, Color background) {
		BufferedImage square = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = square.createGraphics();
		try {
			g.setColor(background);
			g.fillRect(0, 0, SIDE, SIDE);
			if (logo != null) {
				g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
				g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
				double scale = SIDE * INSIDE / Math.max(logo.getWidth(), logo.getHeight());
				int width = (int) Math.round(logo.getWidth() * scale);
				int height = (int) Math.round(logo.getHeight() * scale);
				g.drawImage(logo, (SIDE - width) / 2, (SIDE - height) / 2, width, height, null);
			}
		}
		finally {
			g.dispose();
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			ImageIO.write(square, "png", out);
		}
		catch (IOException e) {
			throw new IllegalStateException("Could not write a PNG in memory", e);
		}
		return out.toByteArray();
	}
}
