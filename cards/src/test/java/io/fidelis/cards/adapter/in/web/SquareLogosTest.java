package io.fidelis.cards.adapter.in.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

class SquareLogosTest {

	static byte[] png(int width, int height, Color colour) throws IOException {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		for (int x = 0; x < width; x++) {
			for (int y = 0; y < height; y++) {
				image.setRGB(x, y, colour.getRGB());
			}
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(image, "png", out);
		return out.toByteArray();
	}

	static BufferedImage read(byte[] png) throws IOException {
		return ImageIO.read(new ByteArrayInputStream(png));
	}

	@Test
	void a_wide_logo_is_drawn_centred_within_a_square_of_the_card_s_colour() throws IOException {
		BufferedImage square = read(new SquareLogos().square(png(320, 100, Color.RED), "#0A7E3C", png(10, 10, Color.BLUE)));
		assertThat(square.getWidth()).isEqualTo(SquareLogos.SIDE);
		assertThat(square.getHeight()).isEqualTo(SquareLogos.SIDE);
		assertThat(square.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x0A7E3C);
		assertThat(square.getRGB(330, 330) & 0xFFFFFF).isEqualTo(0xFF0000);
		// 80 % wide, its height kept in proportion: the band above and below is the card's colour
		assertThat(square.getRGB(330, 330 - 90) & 0xFFFFFF).isEqualTo(0x0A7E3C);
		assertThat(square.getRGB(70, 330) & 0xFFFFFF).isEqualTo(0xFF0000);
		assertThat(square.getRGB(60, 330) & 0xFFFFFF).isEqualTo(0x0A7E3C);
	}

	@Test
	void a_logo_that_cannot_be_read_or_is_too_large_to_decode_gives_the_fallback() throws IOException {
		byte[] fallback = png(10, 10, Color.BLUE);
		BufferedImage garbage = read(new SquareLogos().square("not a png".getBytes(), "#FFFFFF", fallback));
		assertThat(garbage.getRGB(330, 330) & 0xFFFFFF).isEqualTo(0x0000FF);
		BufferedImage huge = read(new SquareLogos().square(png(5_000, 1, Color.RED), "#FFFFFF", fallback));
		assertThat(huge.getRGB(330, 330) & 0xFFFFFF).isEqualTo(0x0000FF);
	}
}
