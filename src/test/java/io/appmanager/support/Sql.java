package io.appmanager.support;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Plain SQL against the service's own PostgreSQL, for tests that stage what another node would have written. */
public final class Sql {

    private Sql() {
    }

    /** Runs a statement; @return the rows it changed. */
    public static int update(DataSource db, String sql, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement st = prepare(c, sql, params)) {
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The first column of the first row, or null when there is no row. */
    public static Object one(DataSource db, String sql, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement st = prepare(c, sql, params);
             ResultSet r = st.executeQuery()) {
            return r.next() ? r.getObject(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static long count(DataSource db, String sql, Object... params) {
        return ((Number) one(db, sql, params)).longValue();
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement st = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            st.setObject(i + 1, params[i]);
        }
        return st;
    }
}
