package dev.caravan.hawtio;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.AccessController;
import javax.security.auth.Subject;

/** The JAAS subject Hawtio's authentication filter runs the request as ({@code Subject.doAs}), or the one of its session. */
final class Subjects {
    private static final Method CURRENT = currentMethod();

    private Subjects() {
    }

    static Subject current(HttpServletRequest request) {
        Subject subject = fromContext();
        if (subject == null) {
            HttpSession session = request.getSession(false);
            Object stored = session == null ? null : session.getAttribute("subject");
            subject = stored instanceof Subject s ? s : null;
        }
        return subject;
    }

    /** {@code Subject.current()} where the JDK has it (18+), else the access-control context (17). */
    @SuppressWarnings("removal")
    private static Subject fromContext() {
        if (CURRENT != null) {
            try {
                return (Subject) CURRENT.invoke(null);
            } catch (IllegalAccessException | InvocationTargetException e) {
                return null;
            }
        }
        return Subject.getSubject(AccessController.getContext());
    }

    private static Method currentMethod() {
        try {
            return Subject.class.getMethod("current");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
