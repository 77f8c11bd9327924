package io.fidelis.members.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fidelis.members.domain.InvalidInput;

/** Member files as Excel and LibreOffice write them: BOM, CRLF, semicolons, quoted cells. */
class ImportCsvTest {

	static List<Map<String, String>> rows(String content) {
		return ImportingMembers.parse(ImportingMembers.Format.CSV, content, line -> Map.of());
	}

	@Test
	void excelsUtf8FileWithItsByteOrderMarkAndCrlf() {
		assertThat(rows("\uFEFFemail,name,phone\r\nann@example.com,Ann Lee,+33612345678\r\nben@example.com,Ben,\r\n"))
				.containsExactly(Map.of("email", "ann@example.com", "name", "Ann Lee", "phone", "+33612345678"),
						Map.of("email", "ben@example.com", "name", "Ben", "phone", ""));
	}

	@Test
	void aEuropeanSpreadsheetsSemicolonsAndQuotedCells() {
		String libreOffice = "email;name;externalId\n"
				+ "ann@example.com;\"Lee; Ann\";crm-1\n"
				+ "ben@example.com;\"Ben \"\"the Bear\"\"\";crm-2\n";
		assertThat(rows(libreOffice)).containsExactly(
				Map.of("email", "ann@example.com", "name", "Lee; Ann", "externalId", "crm-1"),
				Map.of("email", "ben@example.com", "name", "Ben \"the Bear\"", "externalId", "crm-2"));
	}

	@Test
	void aQuotedLineBreakStaysInItsCellAndTheNextRowIsWhole() {
		String file = "email,name,notes\n\"ann@example.com\",\"Ann\",\"first line\nsecond line\"\nben@example.com,Ben,x\n";
		List<Map<String, String>> rows = rows(file);
		assertThat(rows).hasSize(2);
		assertThat(rows.get(0)).containsEntry("name", "Ann").containsEntry("notes", "first line\nsecond line");
		assertThat(rows.get(1)).containsEntry("email", "ben@example.com").containsEntry("name", "Ben");
	}

	@Test
	void commasStillSeparateAndBlankLinesAreSkipped() {
		assertThat(rows("email,name\n\nann@example.com,\"Lee, Ann\"\n\n")).containsExactly(
				Map.of("email", "ann@example.com", "name", "Lee, Ann"));
	}

	@Test
	void aFileThatCannotBeReadIsToldWithWhatToFix() {
		assertThatThrownBy(() -> rows("mail;nom\nann@example.com;Ann\n")).isInstanceOf(InvalidInput.class)
				.hasMessageContaining("email and name").hasMessageContaining("mail, nom");
		assertThatThrownBy(() -> rows("email,name\nann@example.com,\"Ann\n")).isInstanceOf(InvalidInput.class)
				.hasMessageContaining("cannot be read").hasMessageContaining("quote");
		assertThatThrownBy(() -> rows("email,name\n")).isInstanceOf(InvalidInput.class).hasMessageContaining("no rows");
	}
}
