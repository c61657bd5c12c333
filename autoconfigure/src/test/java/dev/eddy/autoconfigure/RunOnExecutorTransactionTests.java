package dev.eddy.autoconfigure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.eddy.concurrent.RunOnExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabase;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The aspect is the outermost advice: a {@code @Transactional @RunOnExecutor} method runs its
 * transaction on the pool thread, over a real {@link DataSourceTransactionManager} and H2.
 */
@Timeout(60)
class RunOnExecutorTransactionTests {

	private final ApplicationContextRunner runner = EddyRunners.runner().withUserConfiguration(TransactionConfiguration.class);

	@Test
	void whenTheBodyReturnsShouldCommitItsTransactionOnThePoolThread() {
		this.runner.run((context) -> {
			Orders orders = context.getBean(Orders.class);
			String seen = orders.insert("ok", false).get(5, TimeUnit.SECONDS);
			assertThat(seen).startsWith("true eddy-executor-");
			assertThat(count(context.getBean(JdbcTemplate.class))).isEqualTo(1);
		});
	}

	@Test
	void whenTheBodyThrowsShouldRollBackItsTransaction() {
		this.runner.run((context) -> {
			Orders orders = context.getBean(Orders.class);
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> orders.insert("bad", true).get(5, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(IllegalStateException.class)
				.withMessageStartingWith("roll back: true eddy-executor-");
			assertThat(count(context.getBean(JdbcTemplate.class))).isZero();
		});
	}

	private static int count(JdbcTemplate jdbc) {
		Integer count = jdbc.queryForObject("select count(*) from orders", Integer.class);
		return (count != null) ? count : -1;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement
	static class TransactionConfiguration {

		@Bean(destroyMethod = "shutdown")
		EmbeddedDatabase dataSource() {
			return new EmbeddedDatabaseBuilder().generateUniqueName(true).setType(EmbeddedDatabaseType.H2).build();
		}

		@Bean
		JdbcTemplate jdbcTemplate(DataSource dataSource) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			jdbc.execute("create table orders (name varchar(20))");
			return jdbc;
		}

		@Bean
		PlatformTransactionManager transactionManager(DataSource dataSource) {
			return new DataSourceTransactionManager(dataSource);
		}

		@Bean
		Orders orders(JdbcTemplate jdbc) {
			return new Orders(jdbc);
		}

	}

	public static class Orders {

		private final JdbcTemplate jdbc;

		public Orders(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@Transactional
		@RunOnExecutor
		public CompletableFuture<String> insert(String name, boolean fail) {
			String seen = TransactionSynchronizationManager.isActualTransactionActive() + " " + Thread.currentThread().getName();
			this.jdbc.update("insert into orders (name) values (?)", name);
			if (fail) {
				throw new IllegalStateException("roll back: " + seen);
			}
			return CompletableFuture.completedFuture(seen);
		}

	}

}
