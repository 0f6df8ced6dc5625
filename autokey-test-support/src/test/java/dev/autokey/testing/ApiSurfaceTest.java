package dev.autokey.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.ValueWrapper;

/** {@link ApiSurface} finds a foreign type in every signature position, and nothing else. */
class ApiSurfaceTest {
  private static final Predicate<Class<?>> OURS = ApiSurface.jdkOr(Set.of("dev.autokey.testing"));

  /** JDK and own types only, some in private or package-private members. */
  public static class Clean {
    private TestInfo hidden;

    public List<String> names() {
      return List.of();
    }

    protected Optional<Clean> self() {
      return Optional.of(this);
    }

    TestInfo packagePrivate() {
      return hidden;
    }

    private TestInfo privateOne() {
      return hidden;
    }
  }

  /** Foreign type as a wildcard bound of a return type. */
  public static class LeakReturn {
    public List<? extends TestInfo> infos() {
      return List.of();
    }
  }

  /** Foreign type as a method type parameter's bound. */
  public static class LeakBound {
    public <T extends TestInfo> void take(T t) {}
  }

  /** Foreign type as a thrown exception. */
  public static class LeakThrows {
    public void run() throws AssertionFailedError {}
  }

  /** Foreign type as a public field's array component. */
  public static class LeakField {
    public TestInfo[] infos;
  }

  /** Foreign superclass. */
  public static class LeakSuper extends AssertionFailedError {
    private static final long serialVersionUID = 1L;
  }

  /** Foreign type argument of a protected constructor's parameter. */
  public static class LeakConstructor {
    protected LeakConstructor(Map<String, TestInfo> m) {}
  }

  /** Declares a public method, but cannot be named outside its package. */
  static class Hidden {
    public TestInfo info() {
      return null;
    }
  }

  /** Inherits {@link Hidden#info()}, which callers can call on it. */
  public static class LeakInherited extends Hidden {}

  /** A public class inside a non-public one. */
  static class Outer {
    /** Not nameable from outside the package. */
    public static class Inner {}
  }

  @Test
  void findsNothingInJdkAndOwnSignatures() {
    assertEquals(Map.of(), ApiSurface.foreignTypes(List.of(Clean.class), OURS));
  }

  @Test
  void findsAForeignTypeInEverySignaturePosition() {
    Map<Class<?>, String> expected = Map.of(
        LeakReturn.class, TestInfo.class.getName(),
        LeakBound.class, TestInfo.class.getName(),
        LeakThrows.class, AssertionFailedError.class.getName(),
        LeakField.class, TestInfo.class.getName(),
        LeakConstructor.class, TestInfo.class.getName(),
        LeakInherited.class, TestInfo.class.getName());
    for (Map.Entry<Class<?>, String> e : expected.entrySet()) {
      SortedMap<String, SortedSet<String>> found =
          ApiSurface.foreignTypes(List.of(e.getKey()), OURS);
      assertEquals(Set.of(e.getValue()), found.keySet(), e.getKey().getSimpleName());
      assertTrue(found.get(e.getValue()).first().startsWith(e.getKey().getName()),
          found.toString());
    }
    // a foreign superclass, and the foreign types of the public methods it passes on
    SortedMap<String, SortedSet<String>> sup =
        ApiSurface.foreignTypes(List.of(LeakSuper.class), OURS);
    assertEquals(Set.of(LeakSuper.class.getName() + " extends"),
        sup.get(AssertionFailedError.class.getName()));
    assertEquals(Set.of(LeakSuper.class.getName() + ".getActual",
        LeakSuper.class.getName() + ".getExpected"), sup.get(ValueWrapper.class.getName()));
  }

  @Test
  void foreignTypesAreAllowedByName() {
    assertEquals(Map.of(), ApiSurface.foreignTypes(List.of(LeakReturn.class, LeakField.class),
        ApiSurface.jdkOr(Set.of("dev.autokey.testing", "org.junit.jupiter.api"))));
  }

  @Test
  void apiClassesAreTheOnesOutsideCodeCanName() {
    assertTrue(ApiSurface.isApi(ApiSurface.class));
    assertFalse(ApiSurface.isApi(Hidden.class));
    assertFalse(ApiSurface.isApi(Outer.Inner.class));
    assertFalse(ApiSurface.isApi(new Object() {}.getClass()));
    // public member classes of a public class are
    assertTrue(ApiSurface.isApi(Map.Entry.class));
  }
}
