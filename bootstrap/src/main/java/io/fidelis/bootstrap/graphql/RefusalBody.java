package io.fidelis.bootstrap.graphql;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;

/**
 * The body of a refusal made before GraphQL runs (a token, a rate, a request's shape), in the
 * shape a GraphQL client already reads: {@code errors[0].extensions.code}. The caller sets the
 * status and any headers.
 */
public final class RefusalBody {

	private RefusalBody() {
	}

	public static void write(HttpServletResponse response, String code, String message) throws IOException {
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter().write("{\"errors\":[{\"message\":\"" + escape(message) + "\",\"extensions\":{\"code\":\""
				+ escape(code) + "\"}}]}");
	}

	private static String escape(String text) {
		StringBuilder out = new StringBuilder(text.length());
		for (char c : text.toCharArray()) {
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.toString();
	}
}
