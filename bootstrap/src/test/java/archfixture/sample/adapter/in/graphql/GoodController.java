package archfixture.sample.adapter.in.graphql;

import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

/** Keeps the rules: a GraphQL controller in an inbound adapter. */
@Controller
public class GoodController {
	@QueryMapping
	String answer() {
		return "42";
	}
}
