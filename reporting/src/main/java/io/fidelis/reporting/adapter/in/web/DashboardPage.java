package io.fidelis.reporting.adapter.in.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** {@code /dashboard} and {@code /dashboard/} lead to the page, keeping the query (program, range). */
@RestController
class DashboardPage {

	@GetMapping({ "/dashboard", "/dashboard/" })
	ResponseEntity<Void> page() {
		String query = ServletUriComponentsBuilder.fromCurrentRequest().build().getQuery();
		return ResponseEntity.status(HttpStatus.FOUND)
				.header("Location", "/dashboard/index.html" + (query == null ? "" : "?" + query)).build();
	}
}
