package io.fidelis;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.modulith.Modulithic;

/**
 * Fidelis: one loyalty engine, several business modules (members, points, cards, offers,
 * reporting), wired together here.
 */
@SpringBootApplication
@Modulithic(systemName = "Fidelis")
public class FidelisApplication {

	public static void main(String[] args) {
		SpringApplication.run(FidelisApplication.class, args);
	}
}
