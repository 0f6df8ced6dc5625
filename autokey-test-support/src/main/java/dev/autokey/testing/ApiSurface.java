package dev.autokey.testing;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The types an API's signatures name. A module that exposes a type of another module in a public
 * signature must {@code requires transitive} that module, or its users cannot compile against the
 * signature; this finds every such type so a test can list what is allowed.
 *
 * <p>Signatures looked at, for each API class: superclass and interfaces, type parameters, and the
 * public and protected fields, constructors and methods (return, parameter and exception types,
 * generic arguments and bounds included), inherited public methods too. Annotations are not.
 */
public final class ApiSurface {
  private ApiSurface() {}

  /**
   * Whether code outside the class's module can name {@code c} (given its package is exported):
   * public top-level classes, and public or protected member classes of such classes; never
   * synthetic, anonymous or local classes.
   */
  public static boolean isApi(Class<?> c) {
    if (c.isSynthetic() || c.isAnonymousClass() || c.isLocalClass()) {
      return false;
    }
    Class<?> outer = c.getDeclaringClass();
    if (outer == null) {
      return Modifier.isPublic(c.getModifiers());
    }
    return (Modifier.isPublic(c.getModifiers()) || Modifier.isProtected(c.getModifiers()))
        && isApi(outer);
  }

  /**
   * Types allowed in a signature: those of the JDK's {@code java.*} modules and those whose
   * package is one of {@code packages}.
   */
  public static Predicate<Class<?>> jdkOr(Set<String> packages) {
    Set<String> copy = Set.copyOf(packages);
    return c -> {
      Module m = c.getModule();
      return (m.isNamed() && m.getName().startsWith("java.")) || copy.contains(c.getPackageName());
    };
  }

  /**
   * Every type named in the signatures of {@code api} that {@code allowed} refuses: type name →
   * where it appears ({@code Class.member}).
   */
  public static SortedMap<String, SortedSet<String>> foreignTypes(Collection<Class<?>> api,
      Predicate<Class<?>> allowed) {
    SortedMap<String, SortedSet<String>> out = new TreeMap<>();
    for (Class<?> c : api) {
      String owner = c.getName();
      Walker w = new Walker(allowed, out);
      w.walk(c.getGenericSuperclass(), owner + " extends");
      for (Type t : c.getGenericInterfaces()) {
        w.walk(t, owner + " implements");
      }
      for (TypeVariable<?> v : c.getTypeParameters()) {
        w.walk(v, owner + "<" + v.getName() + ">");
      }
      for (Field f : c.getDeclaredFields()) {
        if (visible(f) && !f.isSynthetic()) {
          w.walk(f.getGenericType(), owner + "." + f.getName());
        }
      }
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        if (visible(k) && !k.isSynthetic()) {
          executable(w, k, owner + ".<init>");
        }
      }
      Set<Method> methods = new HashSet<>(Set.of(c.getMethods()));
      for (Class<?> s = c; s != null; s = s.getSuperclass()) {
        for (Method m : s.getDeclaredMethods()) {
          if (Modifier.isProtected(m.getModifiers())) {
            methods.add(m);
          }
        }
      }
      for (Method m : methods) {
        // bridges included: a public class inheriting a public method from a package-private
        // one gets a bridge, the only trace of that method on the class
        String where = owner + "." + m.getName();
        w.walk(m.getGenericReturnType(), where);
        executable(w, m, where);
      }
    }
    return out;
  }

  private static boolean visible(Member m) {
    return Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers());
  }

  private static void executable(Walker w, Executable e, String where) {
    for (Type t : e.getGenericParameterTypes()) {
      w.walk(t, where);
    }
    for (Type t : e.getGenericExceptionTypes()) {
      w.walk(t, where);
    }
    for (TypeVariable<?> v : e.getTypeParameters()) {
      w.walk(v, where);
    }
  }

  /** Walks one signature's types (generic arguments, bounds, array components). */
  private static final class Walker {
    private final Predicate<Class<?>> allowed;
    private final SortedMap<String, SortedSet<String>> out;
    private final Set<TypeVariable<?>> seen = new HashSet<>();

    Walker(Predicate<Class<?>> allowed, SortedMap<String, SortedSet<String>> out) {
      this.allowed = allowed;
      this.out = out;
    }

    void walk(Type t, String where) {
      if (t == null) {
        return;
      }
      if (t instanceof Class<?> c) {
        while (c.isArray()) {
          c = c.getComponentType();
        }
        if (!c.isPrimitive() && !allowed.test(c)) {
          out.computeIfAbsent(c.getName(), k -> new TreeSet<>()).add(where);
        }
      } else if (t instanceof ParameterizedType p) {
        walk(p.getRawType(), where);
        walk(p.getOwnerType(), where);
        for (Type a : p.getActualTypeArguments()) {
          walk(a, where);
        }
      } else if (t instanceof WildcardType x) {
        for (Type b : x.getUpperBounds()) {
          walk(b, where);
        }
        for (Type b : x.getLowerBounds()) {
          walk(b, where);
        }
      } else if (t instanceof TypeVariable<?> v) {
        if (seen.add(v)) {
          for (Type b : v.getBounds()) {
            walk(b, where);
          }
        }
      } else if (t instanceof GenericArrayType g) {
        walk(g.getGenericComponentType(), where);
      }
    }
  }
}
