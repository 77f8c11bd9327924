package io.fidelis.members.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;

import java.time.ZoneId;
import java.util.Date;
import java.util.HashSet;
import java.util.Optional;

import org.bson.Document;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.MongoDatabaseUtils;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;

import io.fidelis.members.EnrollmentPolicy;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.ProgramStore;
import io.fidelis.members.domain.Program;

/** Programs in {@code members_programs}, keyed by program id. */
@Component
class MongoProgramStore implements ProgramStore {

	static final String PROGRAMS = "members_programs";

	private final MongoDatabaseFactory factory;

	MongoProgramStore(MongoDatabaseFactory factory) {
		this.factory = factory;
	}

	private MongoCollection<Document> programs() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(PROGRAMS);
	}

	@Override
	public Optional<Program> find(ProgramId id) {
		return Optional.ofNullable(programs().find(eq("_id", id.value())).first()).map(d -> new Program(
				new ProgramId(d.getString("_id")), d.getString("name"),
				new HashSet<>(d.getList("currencies", String.class)), new HashSet<>(d.getList("regions", String.class)),
				ZoneId.of(d.getString("timeZone")),
				d.containsKey("channels") ? new HashSet<>(d.getList("channels", String.class)) : Program.CHANNELS,
				d.get("enrollment") instanceof Document e ? new EnrollmentPolicy(e.getBoolean("selfService"),
						e.getBoolean("integration"), e.getBoolean("staff")) : EnrollmentPolicy.open(),
				d.getDate("definedAt").toInstant(), d.getString("cardPrefix")));
	}

	@Override
	public boolean add(Program program) {
		try {
			programs().insertOne(new Document("_id", program.id().value())
					.append("name", program.name())
					.append("currencies", program.currencies().stream().sorted().toList())
					.append("regions", program.regions().stream().sorted().toList())
					.append("timeZone", program.timeZone().getId())
					.append("channels", program.channels().stream().sorted().toList())
					.append("enrollment", new Document("selfService", program.enrollment().selfService())
							.append("integration", program.enrollment().integration())
							.append("staff", program.enrollment().staff()))
					.append("definedAt", Date.from(program.definedAt()))
					.append("cardPrefix", program.cardPrefix()));
			return true;
		}
		catch (MongoWriteException e) {
			if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
				return false;
			}
			throw e;
		}
	}
}
