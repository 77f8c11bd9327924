package io.fidelis.bootstrap.graphql;

import java.io.IOException;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.graphql.server.support.SerializableGraphQlRequest;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.http.server.ServletServerHttpRequest;

/**
 * The GraphQL endpoint's JSON converter, which takes the request {@link RequestShape} already
 * parsed (a request attribute) instead of parsing the body a second time; everything else, and
 * any request that did not pass through it, goes to the JSON converter as before.
 */
public final class ParsedOnce implements HttpMessageConverter<Object> {

	/** The request attribute holding the {@link SerializableGraphQlRequest} that {@link RequestShape} made. */
	static final String PARSED = ParsedOnce.class.getName() + ".request";

	private final HttpMessageConverter<Object> json;

	ParsedOnce(HttpMessageConverter<Object> json) {
		this.json = json;
	}

	/** The server's JSON converter, with Spring Boot's customizations (the one Spring's handlers would use). */
	public static HttpMessageConverter<Object> jsonConverter(
			ObjectProvider<ServerHttpMessageConvertersCustomizer> customizers) {
		var converters = HttpMessageConverters.forServer().registerDefaults();
		customizers.orderedStream().forEach(c -> c.customize(converters));
		for (HttpMessageConverter<?> converter : converters.build()) {
			if (converter.canRead(java.util.Map.class, MediaType.APPLICATION_JSON)) {
				@SuppressWarnings("unchecked")
				HttpMessageConverter<Object> found = (HttpMessageConverter<Object>) converter;
				return found;
			}
		}
		throw new IllegalStateException("No JSON message converter");
	}

	@Override
	public Object read(Class<?> type, HttpInputMessage input) throws IOException, HttpMessageNotReadableException {
		if (type == SerializableGraphQlRequest.class && input instanceof ServletServerHttpRequest servlet
				&& servlet.getServletRequest().getAttribute(PARSED) instanceof SerializableGraphQlRequest parsed) {
			return parsed;
		}
		return json.read(type, input);
	}

	@Override
	public boolean canRead(Class<?> type, MediaType mediaType) {
		return json.canRead(type, mediaType);
	}

	@Override
	public boolean canWrite(Class<?> type, MediaType mediaType) {
		return json.canWrite(type, mediaType);
	}

	@Override
	public List<MediaType> getSupportedMediaTypes() {
		return json.getSupportedMediaTypes();
	}

	@Override
	public List<MediaType> getSupportedMediaTypes(Class<?> type) {
		return json.getSupportedMediaTypes(type);
	}

	@Override
	public void write(Object value, MediaType contentType, HttpOutputMessage output)
			throws IOException, HttpMessageNotWritableException {
		json.write(value, contentType, output);
	}
}
