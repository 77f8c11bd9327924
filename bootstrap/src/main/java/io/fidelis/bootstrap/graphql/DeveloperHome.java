package io.fidelis.bootstrap.graphql;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * In development, {@code /} answers a page that links GraphiQL, the schema, the dashboard, health
 * and the development issuer: where a newcomer lands after starting Fidelis. It goes with
 * GraphiQL, which the production profile turns off.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("spring.graphql.graphiql.enabled")
class DeveloperHome {

	@Bean
	RouterFunction<ServerResponse> developerHomePage() {
		ClassPathResource page = new ClassPathResource("developer/index.html");
		return RouterFunctions.route().GET("/", request -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).body(page))
				.build();
	}
}
